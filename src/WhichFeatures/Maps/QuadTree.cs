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

    /// <summary>The tree of the N points in <paramref name="y"/> (row-major N × 2), in <paramref name="reuse"/>'s memory when it was built for N points.</summary>
    public static QuadTree Build(double[] y, int n, QuadTree? reuse = null)
    {
        var tree = reuse is not null && reuse._leafOf.Length == n ? reuse : new QuadTree(n, 4 * n + 1);
        tree._cells = 0;
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            minX = Math.Min(minX, y[2 * i]); maxX = Math.Max(maxX, y[2 * i]);
            minY = Math.Min(minY, y[2 * i + 1]); maxY = Math.Max(maxY, y[2 * i + 1]);
        }
        double half = Math.Max(Math.Max(maxX - minX, maxY - minY), 1e-12) / 2 * (1 + 1e-6);   // every point strictly inside
        tree.NewCell((minX + maxX) / 2, (minY + maxY) / 2, half);
        for (int i = 0; i < n; i++) tree.Insert(y, i);
        for (int c = 0; c < tree._cells; c++)                                 // sums of positions → centres of mass
            if (tree._c[c].Count > 0) (tree._c[c].MassX, tree._c[c].MassY) = (tree._c[c].MassX / tree._c[c].Count, tree._c[c].MassY / tree._c[c].Count);
        return tree;
    }

    /// <summary>
    /// The points split into groups of at most <paramref name="maxSize"/> neighbours: the largest cells that hold
    /// that few (or one leaf of coincident points), in depth-first order. Group g is
    /// <c>points[start[g] .. start[g + 1])</c>. A point's own leaf is never summarised for its group (see
    /// <see cref="GroupInteractions"/>), so the group's list holds every group point itself.
    /// </summary>
    public (int[] Start, int[] Points) Groups(int maxSize)
    {
        var start = new List<int>();
        var points = new List<int>(_leafOf.Length);
        var stack = new Stack<int>();
        stack.Push(0);
        while (stack.Count > 0)
        {
            int c = stack.Pop();
            if (_c[c].Count == 0) continue;
            if (_c[c].Count > maxSize && _c[c].FirstChild >= 0)
            {
                for (int q = 3; q >= 0; q--) stack.Push(_c[c].FirstChild + q);
                continue;
            }
            start.Add(points.Count);
            CollectPoints(c, points);
        }
        start.Add(points.Count);
        return ([.. start], [.. points]);
    }

    private void CollectPoints(int c, List<int> points)
    {
        if (_c[c].FirstChild < 0) { for (int i = _c[c].Head; i >= 0; i = _next[i]) points.Add(i); return; }
        for (int q = 0; q < 4; q++) CollectPoints(_c[c].FirstChild + q, points);
    }

    /// <summary>
    /// One interaction list for a group of points with bounding box [x0, x1] × [y0, y1]: the cells every point of
    /// the group may take as their centre of mass (width / distance from the box to the centre of mass below
    /// <paramref name="angle"/>, so at least as strict as for each point alone) into <paramref name="list"/> as
    /// (x, y, count), and the points of every leaf it reaches (the group's own included) with weight 1.
    /// </summary>
    public void GroupInteractions(double x0, double x1, double y0, double y1, double angle, double[] y, InteractionList list, int[] stack)
    {
        double angle2 = angle * angle;
        int top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            int c = stack[--top];
            ref readonly Cell cell = ref _c[c];
            if (cell.Count == 0) continue;
            if (cell.FirstChild < 0)
            {
                for (int i = cell.Head; i >= 0; i = _next[i]) list.Add(y[2 * i], y[2 * i + 1], 1);
                continue;
            }
            double dx = Math.Max(0, Math.Max(x0 - cell.MassX, cell.MassX - x1)), dy = Math.Max(0, Math.Max(y0 - cell.MassY, cell.MassY - y1));
            double d2 = dx * dx + dy * dy, width2 = 4 * cell.HalfWidth * cell.HalfWidth;
            if (width2 < angle2 * d2 && d2 > 2 * width2) list.Add(cell.MassX, cell.MassY, cell.Count);   // no group point can lie inside
            else for (int q = 3; q >= 0; q--) stack[top++] = cell.FirstChild + q;
        }
    }

    /// <summary>Stack length <see cref="GroupInteractions"/> needs: 3 per level of depth, plus the root's 4.</summary>
    public static int StackLength => 3 * MaxDepth + 8;

    private void Insert(double[] y, int i)
    {
        double px = y[2 * i], py = y[2 * i + 1];
        int c = 0;
        for (int depth = 0; ; depth++)
        {
            if (_c[c].FirstChild < 0)
            {
                int head = _c[c].Head;
                if (_c[c].Count == 0 || depth >= MaxDepth || (y[2 * head] == px && y[2 * head + 1] == py))
                {
                    AddMass(c, px, py);
                    (_leafOf[i], _next[i], _c[c].Head) = (c, _c[c].Head, i);
                    return;
                }
                Split(c, y);
            }
            AddMass(c, px, py);
            c = _c[c].FirstChild + Quadrant(c, px, py);
        }
    }

    /// <summary>Turns leaf c into an inner cell; its points (one position) move into the child that contains them.</summary>
    private void Split(int c, double[] y)
    {
        double h = _c[c].HalfWidth / 2;
        int first = _cells;
        for (int q = 0; q < 4; q++)
            NewCell(_c[c].CentreX + ((q & 1) == 0 ? -h : h), _c[c].CentreY + ((q & 2) == 0 ? -h : h), h);
        _c[c].FirstChild = first;
        int child = first + Quadrant(c, y[2 * _c[c].Head], y[2 * _c[c].Head + 1]);
        (_c[child].Count, _c[child].MassX, _c[child].MassY, _c[child].Head) = (_c[c].Count, _c[c].MassX, _c[c].MassY, _c[c].Head);
        for (int i = _c[c].Head; i >= 0; i = _next[i]) _leafOf[i] = child;
        _c[c].Head = -1;
    }

    private int Quadrant(int c, double px, double py) => (px >= _c[c].CentreX ? 1 : 0) + (py >= _c[c].CentreY ? 2 : 0);

    private void AddMass(int c, double px, double py)
    {
        _c[c].Count++;
        _c[c].MassX += px;                                                   // a sum until Build divides by the count
        _c[c].MassY += py;
    }

    private void NewCell(double cx, double cy, double half)
    {
        if (_cells == _c.Length) Grow(2 * _cells);
        _c[_cells++] = new Cell { CentreX = cx, CentreY = cy, HalfWidth = half, FirstChild = -1, Head = -1 };
    }

    private void Grow(int capacity) => Array.Resize(ref _c, capacity);
}
