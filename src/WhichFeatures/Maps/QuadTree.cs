namespace WhichFeatures.Maps;

/// <summary>
/// A quadtree over 2-D points for Barnes-Hut: every cell holds the count and centre of mass of its points. Points
/// are inserted in index order, so the tree, and every sum taken over it, is the same on every CPU. Points at the
/// same position (or closer than <see cref="MaxDepth"/> halvings can separate) share one leaf.
/// </summary>
internal sealed class QuadTree
{
    /// <summary>Cells are split at most this many times.</summary>
    public const int MaxDepth = 48;

    private double[] _centreX = [], _centreY = [], _halfWidth = [], _massX = [], _massY = [];
    private int[] _count = [], _firstChild = [], _head = [];
    private int _cells;
    private readonly int[] _leafOf, _next;   // the leaf of each point; the points of a leaf as a chain from _head

    private QuadTree(int points, int capacity)
    {
        _leafOf = new int[points];
        _next = new int[points];
        Grow(capacity);
    }

    /// <summary>The tree of the N points in <paramref name="y"/> (row-major N × 2).</summary>
    public static QuadTree Build(double[] y, int n)
    {
        var tree = new QuadTree(n, 4 * n + 1);
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            minX = Math.Min(minX, y[2 * i]); maxX = Math.Max(maxX, y[2 * i]);
            minY = Math.Min(minY, y[2 * i + 1]); maxY = Math.Max(maxY, y[2 * i + 1]);
        }
        double half = Math.Max(Math.Max(maxX - minX, maxY - minY), 1e-12) / 2 * (1 + 1e-6);   // every point strictly inside
        tree.NewCell((minX + maxX) / 2, (minY + maxY) / 2, half);
        for (int i = 0; i < n; i++) tree.Insert(y, i);
        return tree;
    }

    /// <summary>
    /// The repulsion on point i, Σⱼ≠ᵢ qᵢⱼ² (yᵢ − yⱼ) with qᵢⱼ = 1 / (1 + ‖yᵢ − yⱼ‖²), and Σⱼ≠ᵢ qᵢⱼ, where a cell whose
    /// width / distance to its centre of mass is below <paramref name="angle"/> stands for all its points (a cell that
    /// holds i never does). <paramref name="stack"/> needs room for 3 · <see cref="MaxDepth"/> + 4 cells.
    /// </summary>
    public (double Fx, double Fy, double SumQ) Repulsion(double[] y, int i, double angle, int[] stack)
    {
        double yx = y[2 * i], yy = y[2 * i + 1], fx = 0, fy = 0, sumQ = 0, angle2 = angle * angle;
        int top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            int c = stack[--top];
            int count = _count[c];
            if (count == 0) continue;
            double mx = _massX[c], my = _massY[c];
            if (_firstChild[c] < 0)
            {
                if (_leafOf[i] == c)                                       // the leaf holds i: the others' centre of mass
                {
                    if (--count == 0) continue;
                    mx = (mx * (count + 1) - yx) / count;
                    my = (my * (count + 1) - yy) / count;
                }
            }
            else
            {
                double dx0 = yx - mx, dy0 = yy - my, d20 = dx0 * dx0 + dy0 * dy0;
                double width2 = 4 * _halfWidth[c] * _halfWidth[c];
                bool summarise = width2 < angle2 * d20 && d20 > 2 * width2;  // far enough, and i cannot lie inside
                if (!summarise)
                {
                    for (int q = 3; q >= 0; q--) stack[top++] = _firstChild[c] + q;
                    continue;
                }
            }
            double dx = yx - mx, dy = yy - my;
            double qij = 1 / (1 + dx * dx + dy * dy);
            sumQ += count * qij;
            double m = count * qij * qij;
            fx += m * dx;
            fy += m * dy;
        }
        return (fx, fy, sumQ);
    }

    /// <summary>Stack length <see cref="Repulsion"/> needs.</summary>
    public static int StackLength => 3 * MaxDepth + 8;

    private void Insert(double[] y, int i)
    {
        double px = y[2 * i], py = y[2 * i + 1];
        int c = 0;
        for (int depth = 0; ; depth++)
        {
            if (_firstChild[c] < 0)
            {
                if (_count[c] == 0 || depth >= MaxDepth || (_massX[c] == px && _massY[c] == py))
                {
                    AddMass(c, px, py);
                    (_leafOf[i], _next[i], _head[c]) = (c, _head[c], i);
                    return;
                }
                Split(c);
            }
            AddMass(c, px, py);
            c = _firstChild[c] + Quadrant(c, px, py);
        }
    }

    /// <summary>Turns leaf c into an inner cell; its points (one position) move into the child that contains them.</summary>
    private void Split(int c)
    {
        double h = _halfWidth[c] / 2;
        int first = _cells;
        for (int q = 0; q < 4; q++)
            NewCell(_centreX[c] + ((q & 1) == 0 ? -h : h), _centreY[c] + ((q & 2) == 0 ? -h : h), h);
        _firstChild[c] = first;
        int child = first + Quadrant(c, _massX[c], _massY[c]);
        (_count[child], _massX[child], _massY[child], _head[child]) = (_count[c], _massX[c], _massY[c], _head[c]);
        for (int i = _head[c]; i >= 0; i = _next[i]) _leafOf[i] = child;
        _head[c] = -1;
    }

    private int Quadrant(int c, double px, double py) => (px >= _centreX[c] ? 1 : 0) + (py >= _centreY[c] ? 2 : 0);

    private void AddMass(int c, double px, double py)
    {
        int n = ++_count[c];
        _massX[c] += (px - _massX[c]) / n;
        _massY[c] += (py - _massY[c]) / n;
    }

    private void NewCell(double cx, double cy, double half)
    {
        if (_cells == _count.Length) Grow(2 * _cells);
        (_centreX[_cells], _centreY[_cells], _halfWidth[_cells]) = (cx, cy, half);
        (_massX[_cells], _massY[_cells], _count[_cells], _firstChild[_cells], _head[_cells]) = (0, 0, 0, -1, -1);
        _cells++;
    }

    private void Grow(int capacity)
    {
        Array.Resize(ref _centreX, capacity); Array.Resize(ref _centreY, capacity); Array.Resize(ref _halfWidth, capacity);
        Array.Resize(ref _massX, capacity); Array.Resize(ref _massY, capacity);
        Array.Resize(ref _count, capacity); Array.Resize(ref _firstChild, capacity); Array.Resize(ref _head, capacity);
    }
}
