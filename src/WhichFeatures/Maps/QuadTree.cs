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

    /// <summary>One cell, packed so a traversal reads one cache line per cell.</summary>
    private struct Cell
    {
        public double MassX, MassY, HalfWidth, CentreX, CentreY;
        public int Count, FirstChild, Head;
    }

    private Cell[] _c = [];
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
            ref readonly Cell cell = ref _c[c];
            int count = cell.Count;
            if (count == 0) continue;
            double mx = cell.MassX, my = cell.MassY;
            if (cell.FirstChild < 0)
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
                double width2 = 4 * cell.HalfWidth * cell.HalfWidth;
                bool summarise = width2 < angle2 * d20 && d20 > 2 * width2;  // far enough, and i cannot lie inside
                if (!summarise)
                {
                    for (int q = 3; q >= 0; q--) stack[top++] = cell.FirstChild + q;
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
            if (_c[c].FirstChild < 0)
            {
                if (_c[c].Count == 0 || depth >= MaxDepth || (_c[c].MassX == px && _c[c].MassY == py))
                {
                    AddMass(c, px, py);
                    (_leafOf[i], _next[i], _c[c].Head) = (c, _c[c].Head, i);
                    return;
                }
                Split(c);
            }
            AddMass(c, px, py);
            c = _c[c].FirstChild + Quadrant(c, px, py);
        }
    }

    /// <summary>Turns leaf c into an inner cell; its points (one position) move into the child that contains them.</summary>
    private void Split(int c)
    {
        double h = _c[c].HalfWidth / 2;
        int first = _cells;
        for (int q = 0; q < 4; q++)
            NewCell(_c[c].CentreX + ((q & 1) == 0 ? -h : h), _c[c].CentreY + ((q & 2) == 0 ? -h : h), h);
        _c[c].FirstChild = first;
        int child = first + Quadrant(c, _c[c].MassX, _c[c].MassY);
        (_c[child].Count, _c[child].MassX, _c[child].MassY, _c[child].Head) = (_c[c].Count, _c[c].MassX, _c[c].MassY, _c[c].Head);
        for (int i = _c[c].Head; i >= 0; i = _next[i]) _leafOf[i] = child;
        _c[c].Head = -1;
    }

    private int Quadrant(int c, double px, double py) => (px >= _c[c].CentreX ? 1 : 0) + (py >= _c[c].CentreY ? 2 : 0);

    private void AddMass(int c, double px, double py)
    {
        int n = ++_c[c].Count;
        _c[c].MassX += (px - _c[c].MassX) / n;
        _c[c].MassY += (py - _c[c].MassY) / n;
    }

    private void NewCell(double cx, double cy, double half)
    {
        if (_cells == _c.Length) Grow(2 * _cells);
        _c[_cells++] = new Cell { CentreX = cx, CentreY = cy, HalfWidth = half, FirstChild = -1, Head = -1 };
    }

    private void Grow(int capacity) => Array.Resize(ref _c, capacity);
}
