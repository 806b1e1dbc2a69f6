using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Evaluation;

/// <summary>
/// Weighted k-nearest-neighbour accuracy on cosine similarity (the solo-learn / InstDisc protocol:
/// each of the k neighbours votes with weight exp(sim / T)).
/// </summary>
public sealed class KnnClassifier
{
    /// <summary>Creates the classifier; <paramref name="k"/> &gt;= 1, <paramref name="temperature"/> &gt; 0.</summary>
    public KnnClassifier(int k = 20, double temperature = 0.07)
    {
        if (k < 1) throw new UserInputException($"kNN k must be >= 1, got {k}.");
        if (!(temperature > 0)) throw new UserInputException($"kNN temperature must be > 0, got {temperature}.");
        K = k;
        Temperature = temperature;
    }

    /// <summary>Neighbours per query.</summary>
    public int K { get; }
    /// <summary>Vote temperature.</summary>
    public double Temperature { get; }

    /// <summary>The protocol in one sentence, for reports.</summary>
    public string Protocol => $"weighted kNN: k = {K}, cosine similarity, vote weight exp(sim / {Temperature:g3})";

    /// <summary>Predicts labels for <paramref name="queries"/> [M, D] from the bank [N, D] with labels [N].</summary>
    public Tensor Predict(Tensor bank, Tensor bankLabels, Tensor queries, int classes, int chunk = 1024)
    {
        using var scope = NewDisposeScope();
        var (idx, weight) = Neighbours(bank, queries, chunk);
        return Vote(idx, weight, bankLabels, classes).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The k nearest bank rows of every query and their vote weights exp(sim / T): ([M, k] int64, [M, k] float32).
    /// Computed once, they serve every label of the same rows (<see cref="Vote"/>). <paramref name="ct"/> is checked
    /// before every chunk of <paramref name="chunk"/> queries.
    /// </summary>
    public (Tensor Index, Tensor Weight) Neighbours(Tensor bank, Tensor queries, int chunk = 1024, CancellationToken ct = default)
    {
        using var scope = NewDisposeScope();
        var nb = nn.functional.normalize(bank.detach().to_type(ScalarType.Float32), dim: 1);     // [N, D]
        int k = (int)Math.Min(K, bank.shape[0]);
        var idx = new List<Tensor>();
        var weight = new List<Tensor>();
        for (long s = 0; s < queries.shape[0]; s += chunk)
        {
            ct.ThrowIfCancellationRequested();
            var q = nn.functional.normalize(queries.narrow(0, s, Math.Min(chunk, queries.shape[0] - s)).detach().to_type(ScalarType.Float32).to(nb.device), dim: 1); // [m, D]
            var sim = q.matmul(nb.t());                                                        // [m, N]
            var (top, i) = sim.topk(k, dim: 1);                                                // [m, k]
            idx.Add(i);
            weight.Add((top / Temperature).exp());
        }
        return (cat(idx, 0).MoveToOuterDisposeScope(), cat(weight, 0).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Weighted vote of the neighbours' labels: argmax over classes of the summed weights, [M] int64.
    /// Bank rows whose label is negative (unknown) do not vote.
    /// </summary>
    /// <param name="index">[M, k] bank rows.</param>
    /// <param name="weight">[M, k] vote weights.</param>
    /// <param name="bankLabels">[N] labels in [0, classes), or negative for unknown.</param>
    /// <param name="classes">Number of classes.</param>
    public static Tensor Vote(Tensor index, Tensor weight, Tensor bankLabels, int classes)
    {
        using var scope = NewDisposeScope();
        var labels = bankLabels.to(index.device).to_type(ScalarType.Int64)[index];              // [M, k]
        var known = labels.ge(0);                                                                // [M, k]
        var votes = zeros(index.shape[0], classes, device: index.device);                        // [M, C]
        votes.scatter_add_(1, labels.clamp_min(0), weight.to_type(ScalarType.Float32) * known.to_type(ScalarType.Float32));
        return votes.argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Accuracy of <see cref="Predict"/> against <paramref name="queryLabels"/>.</summary>
    public double Accuracy(Tensor bank, Tensor bankLabels, Tensor queries, Tensor queryLabels, int classes)
    {
        using var scope = NewDisposeScope();
        var pred = Predict(bank, bankLabels, queries, classes);
        return pred.eq(queryLabels.to(pred.device)).to_type(ScalarType.Float64).mean().ToDouble();
    }
}
