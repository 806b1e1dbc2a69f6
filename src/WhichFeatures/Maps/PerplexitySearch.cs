namespace WhichFeatures.Maps;

/// <summary>
/// The conditional affinities p(j|i) of one point: a Gaussian over its squared distances whose precision β is
/// bisected until the distribution's entropy is log(perplexity) within 1e-5 nats (at most 100 steps), as
/// scikit-learn's <c>_binary_search_perplexity</c> does.
/// </summary>
public static class PerplexitySearch
{
    private const int MaxSteps = 100;
    private const double Tolerance = 1e-5;

    /// <summary>
    /// Writes p(j|i) = exp(−β d²ᵢⱼ) / Σₖ exp(−β d²ᵢₖ) for the given squared distances (the point itself excluded by the
    /// caller) into <paramref name="p"/>, and returns β.
    /// </summary>
    public static double Conditional(ReadOnlySpan<double> squaredDistances, double perplexity, Span<double> p)
    {
        double target = Math.Log(perplexity);
        double beta = 1, betaMin = double.NegativeInfinity, betaMax = double.PositiveInfinity;
        for (int step = 0; step < MaxSteps; step++)
        {
            double sum = 0;
            for (int j = 0; j < squaredDistances.Length; j++) sum += p[j] = Math.Exp(-squaredDistances[j] * beta);
            if (sum == 0) sum = 1e-8;                                  // every neighbour underflowed: scikit-learn's EPSILON_DBL
            double meanDistance = 0;
            for (int j = 0; j < squaredDistances.Length; j++) meanDistance += squaredDistances[j] * (p[j] /= sum);
            double entropy = Math.Log(sum) + beta * meanDistance;      // H = log Σ exp(−βd²) + β E[d²]
            double gap = entropy - target;
            if (Math.Abs(gap) <= Tolerance) break;
            if (gap > 0)
            {
                betaMin = beta;
                beta = double.IsPositiveInfinity(betaMax) ? beta * 2 : (beta + betaMax) / 2;
            }
            else
            {
                betaMax = beta;
                beta = double.IsNegativeInfinity(betaMin) ? beta / 2 : (beta + betaMin) / 2;
            }
        }
        return beta;
    }
}
