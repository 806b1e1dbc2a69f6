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
        QuadTree? tree = null;
        return Compute(p, y, angle, gradient, withError, ref tree);
    }

    /// <summary>
    /// As <see cref="Compute(Affinities, double[], double?, double[], bool)"/>, building the quadtree in
    /// <paramref name="tree"/>'s memory (an optimiser passes the same variable every iteration). The tree is built on
    /// one thread while the attraction runs on the others.
    /// </summary>
    internal static double Compute(Affinities p, double[] y, double? angle, double[] gradient, bool withError, ref QuadTree? tree)
    {
        int n = p.Rows;
        var sumQ = new double[n];
        var repulsion = new double[2 * n];
        var reuse = tree;
        var built = angle is null ? null : Task.Run(() => { var t = QuadTree.Build(y, n, reuse); return (Tree: t, Groups: t.Groups(GroupSize)); });
        Parallel.For(0, n, i => (gradient[2 * i], gradient[2 * i + 1]) = Attraction(p, y, i));
        if (built is not null)
        {
            var (t, groups) = built.Result;
            tree = t;
            GroupedRepulsion(t, groups, y, angle!.Value, sumQ, repulsion);
        }
        else Parallel.For(0, n, i => (repulsion[2 * i], repulsion[2 * i + 1], sumQ[i]) = ExactRepulsion(y, n, i));
        double z = 0;
        for (int i = 0; i < n; i++) z += sumQ[i];
        for (int c = 0; c < 2 * n; c++) gradient[c] = 4 * (gradient[c] - repulsion[c] / z);
        return withError ? Divergence(p, y, z) : double.NaN;
    }

    /// <summary>Points per Barnes-Hut group: they share one walk of the tree and one interaction list.</summary>
    public const int GroupSize = 32;

    /// <summary>
    /// Barnes-Hut repulsion by groups of nearby points (<see cref="QuadTree.Groups"/>): one walk of the tree per
    /// group gives the cells all its points summarise and the leaves they take point by point; each point then runs
    /// down that list. Writes Σⱼ≠ᵢ qᵢⱼ² (yᵢ − yⱼ) into <paramref name="force"/> and Σⱼ≠ᵢ qᵢⱼ into <paramref name="sumQ"/>.
    /// </summary>
    private static void GroupedRepulsion(QuadTree tree, (int[] Start, int[] Points) groups, double[] y, double angle, double[] sumQ, double[] force)
    {
        var (start, points) = groups;
        Parallel.For(0, start.Length - 1, () => (List: new InteractionList(), Stack: new int[QuadTree.StackLength]), (g, _, s) =>
        {
            double x0 = double.PositiveInfinity, x1 = double.NegativeInfinity, y0 = double.PositiveInfinity, y1 = double.NegativeInfinity;
            for (int k = start[g]; k < start[g + 1]; k++)
            {
                int i = points[k];
                (x0, x1, y0, y1) = (Math.Min(x0, y[2 * i]), Math.Max(x1, y[2 * i]), Math.Min(y0, y[2 * i + 1]), Math.Max(y1, y[2 * i + 1]));
            }
            s.List.Clear();
            tree.GroupInteractions(x0, x1, y0, y1, angle, y, s.List, s.Stack);
            for (int k = start[g]; k < start[g + 1]; k++)
            {
                int i = points[k];
                var (fx, fy, z) = s.List.Repulsion(y[2 * i], y[2 * i + 1]);
                (force[2 * i], force[2 * i + 1], sumQ[i]) = (fx, fy, z - 1);                  // − 1: the point itself, at distance 0
            }
            return s;
        }, _ => { });
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
