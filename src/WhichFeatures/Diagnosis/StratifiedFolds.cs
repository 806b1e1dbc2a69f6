using WhichFeatures.Core;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// Seeded stratified k-fold: the rows of each stratum (a class; unknown values form one stratum) are shuffled with
/// <c>new Random(seed)</c> (Fisher-Yates), the strata are concatenated in increasing code order, and row j of that
/// sequence goes to fold j mod k. Every class is thus spread over the folds as evenly as its size allows.
/// </summary>
public static class StratifiedFolds
{
    /// <summary>The fold (0..k-1) of every row.</summary>
    /// <param name="strata">Per row, a stratum code (negative = unknown).</param>
    /// <param name="k">Number of folds, 2 &lt;= k &lt;= rows.</param>
    /// <param name="seed">Shuffle seed.</param>
    public static int[] Assign(long[] strata, int k, int seed)
    {
        if (k < 2) throw new UserInputException($"--folds must be at least 2, got {k}.");
        if (k > strata.Length) throw new UserInputException($"--folds {k}: more folds than the {strata.Length} rows.");
        var rng = new Random(seed);
        var folds = new int[strata.Length];
        int j = 0;
        foreach (var group in Enumerable.Range(0, strata.Length).GroupBy(i => Math.Max(strata[i], -1)).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            for (int i = rows.Length - 1; i > 0; i--)
            {
                int r = rng.Next(i + 1);
                (rows[i], rows[r]) = (rows[r], rows[i]);
            }
            foreach (var row in rows) folds[row] = j++ % k;
        }
        return folds;
    }
}
