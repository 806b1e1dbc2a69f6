using System.Runtime.Intrinsics;

namespace WhichFeatures.Maps;

/// <summary>
/// What one group of nearby points is repelled by, as plain arrays: centres of mass of far cells with their point
/// counts, and single points of near leaves with weight 1. <see cref="Repulsion"/> sums a point's repulsion over it
/// four entries at a time (256-bit vectors, reduced in a fixed lane order, so every CPU gives the same sums).
/// </summary>
internal sealed class InteractionList
{
    private double[] _x = new double[256], _y = new double[256], _w = new double[256];

    /// <summary>Entries in the list.</summary>
    public int Count { get; private set; }

    /// <summary>Empties the list (keeps its memory).</summary>
    public void Clear() => Count = 0;

    /// <summary>Adds a point at (x, y) standing for <paramref name="weight"/> points.</summary>
    public void Add(double x, double y, double weight)
    {
        if (Count == _x.Length)
        {
            Array.Resize(ref _x, 2 * Count); Array.Resize(ref _y, 2 * Count); Array.Resize(ref _w, 2 * Count);
        }
        (_x[Count], _y[Count], _w[Count]) = (x, y, weight);
        Count++;
    }

    /// <summary>
    /// Σₖ wₖ qₖ² (p − yₖ) and Σₖ wₖ qₖ with qₖ = 1 / (1 + ‖p − yₖ‖²) over the list, for the point p = (px, py). An entry
    /// at p itself adds 1 to the second sum and nothing to the first.
    /// </summary>
    public (double Fx, double Fy, double Z) Repulsion(double px, double py)
    {
        var vx = Vector256.Create(px);
        var vy = Vector256.Create(py);
        var one = Vector256.Create(1.0);
        Vector256<double> accX = Vector256<double>.Zero, accY = Vector256<double>.Zero, accZ = Vector256<double>.Zero;
        int k = 0;
        for (; k + 4 <= Count; k += 4)
        {
            var dx = vx - Vector256.Create(_x.AsSpan(k, 4));                                   // [4]
            var dy = vy - Vector256.Create(_y.AsSpan(k, 4));                                   // [4]
            var q = one / (one + dx * dx + dy * dy);                                           // [4]
            var wq = Vector256.Create(_w.AsSpan(k, 4)) * q;                                    // [4]
            accZ += wq;
            var m = wq * q;
            accX += m * dx;
            accY += m * dy;
        }
        double fx = accX.GetElement(0) + accX.GetElement(1) + accX.GetElement(2) + accX.GetElement(3);
        double fy = accY.GetElement(0) + accY.GetElement(1) + accY.GetElement(2) + accY.GetElement(3);
        double z = accZ.GetElement(0) + accZ.GetElement(1) + accZ.GetElement(2) + accZ.GetElement(3);
        for (; k < Count; k++)
        {
            double dx = px - _x[k], dy = py - _y[k], q = 1 / (1 + dx * dx + dy * dy), wq = _w[k] * q, m = wq * q;
            z += wq;
            fx += m * dx;
            fy += m * dy;
        }
        return (fx, fy, z);
    }
}
