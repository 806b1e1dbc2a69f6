namespace WhichFeatures.Maps;

/// <summary>
/// The gradient of t-SNE's objective KL(P ‖ Q), qᵢⱼ = (1 + ‖yᵢ − yⱼ‖²)⁻¹ / Z with Z = Σₖ≠ₗ (1 + ‖yₖ − yₗ‖²)⁻¹:
/// ∂KL/∂yᵢ = 4 Σⱼ (pᵢⱼ − qᵢⱼ) (1 + ‖yᵢ − yⱼ‖²)⁻¹ (yᵢ − yⱼ), split as 4 (attraction − repulsion / Z). The attraction runs
/// over P's entries; the repulsion over every pair (exact) or over a <see cref="QuadTree"/> (Barnes-Hut). Each
/// point's sums are taken in a fixed order and Z is summed over points in index order, so the gradient does not
/// depend on the thread count.
/// </summary>
public static class TsneGradient
{
    /// <summary>Writes ∂KL/∂y into <paramref name="gradient"/> (row-major N × 2) and returns KL(P ‖ Q) when <paramref name="withError"/>, else NaN.</summary>
    /// <param name="p">The joint affinities (exaggerated or not).</param>
    /// <param name="y">The map, row-major N × 2.</param>
    /// <param name="angle">Barnes-Hut angle; null computes the repulsion over every pair.</param>
    /// <param name="gradient">Receives the gradient, row-major N × 2.</param>
    /// <param name="withError">Whether to also compute the divergence (one more pass over P).</param>
    public static double Compute(Affinities p, double[] y, double? angle, double[] gradient, bool withError)
    {
        int n = p.Rows;
        var sumQ = new double[n];
        var tree = angle is null ? null : QuadTree.Build(y, n);
        Parallel.For(0, n, () => new int[QuadTree.StackLength], (i, _, stack) =>
        {
            var (rx, ry, zi) = tree is null ? ExactRepulsion(y, n, i) : tree.Repulsion(y, i, angle!.Value, stack);
            sumQ[i] = zi;
            gradient[2 * i] = rx;                                                  // repulsion until Z is known
            gradient[2 * i + 1] = ry;
            return stack;
        }, _ => { });
        double z = 0;
        for (int i = 0; i < n; i++) z += sumQ[i];
        Parallel.For(0, n, i =>
        {
            var (ax, ay) = Attraction(p, y, i);
            gradient[2 * i] = 4 * (ax - gradient[2 * i] / z);
            gradient[2 * i + 1] = 4 * (ay - gradient[2 * i + 1] / z);
        });
        return withError ? Divergence(p, y, z) : double.NaN;
    }

    /// <summary>Σⱼ pᵢⱼ (1 + ‖yᵢ − yⱼ‖²)⁻¹ (yᵢ − yⱼ) over row i of P.</summary>
    private static (double X, double Y) Attraction(Affinities p, double[] y, int i)
    {
        double fx = 0, fy = 0;
        for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
        {
            int j = p.Columns[e];
            double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
            double m = p.Values[e] / (1 + dx * dx + dy * dy);
            fx += m * dx;
            fy += m * dy;
        }
        return (fx, fy);
    }

    /// <summary>Σⱼ≠ᵢ qᵢⱼ² (yᵢ − yⱼ) and Σⱼ≠ᵢ qᵢⱼ with unnormalised qᵢⱼ = (1 + ‖yᵢ − yⱼ‖²)⁻¹, over every other point.</summary>
    private static (double Fx, double Fy, double SumQ) ExactRepulsion(double[] y, int n, int i)
    {
        double fx = 0, fy = 0, sumQ = 0;
        for (int j = 0; j < n; j++)
        {
            if (j == i) continue;
            double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
            double q = 1 / (1 + dx * dx + dy * dy);
            sumQ += q;
            fx += q * q * dx;
            fy += q * q * dy;
        }
        return (fx, fy, sumQ);
    }

    /// <summary>KL(P ‖ Q) = Σ pᵢⱼ log(pᵢⱼ / qᵢⱼ) over P's entries (a zero pᵢⱼ adds nothing), with Z as computed.</summary>
    private static double Divergence(Affinities p, double[] y, double z)
    {
        int n = p.Rows;
        var rows = new double[n];
        Parallel.For(0, n, i =>
        {
            double s = 0;
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double q = 1 / (1 + dx * dx + dy * dy) / z;
                double pij = p.Values[e];
                if (pij > 0) s += pij * Math.Log(pij / Math.Max(q, Affinities.Floor));
            }
            rows[i] = s;
        });
        double kl = 0;
        for (int i = 0; i < n; i++) kl += rows[i];
        return kl;
    }
}
