using WhichFeatures.Maps;

namespace WhichFeatures.Tests.Maps;

/// <summary>The map's files: colour families, the coordinates table, the plots chosen, the seeded subsample.</summary>
public class MapFiguresTests
{
    private static (int R, int G, int B) Rgb(string hex) =>
        (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));

    /// <summary>Hue in degrees of an RGB colour.</summary>
    private static double Hue(string hex)
    {
        var (r, g, b) = Rgb(hex);
        double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), c = max - min;
        double h = c == 0 ? 0 : max == r ? (g - b) / c % 6 : max == g ? (b - r) / c + 2 : (r - g) / c + 4;
        return (h * 60 + 360) % 360;
    }

    [Fact]
    public void SubclassesTakeTheHueOfTheirClassInDistinctShades()
    {
        // 3 classes; class 0 holds subclasses 0, 1, 2; class 1 holds 3, 4; class 2 holds 5. Subclass 4 has one stray row in class 0.
        long[] cls = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 0];
        long[] sub = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 4];
        var colours = MapFigures.Families(new MapLabel("class", cls, ["a", "b", "c"]), new MapLabel("subclass", sub, ["0", "1", "2", "3", "4", "5"]));
        Assert.Equal(6, colours.Count);
        Assert.Equal(6, colours.Distinct().Count());
        var hues = colours.Select(c => Hue(c!)).ToArray();
        foreach (var (members, other) in new[] { (new[] { 0, 1, 2 }, 3), (new[] { 3, 4 }, 0) })
        {
            Assert.All(members, m => Assert.InRange(Math.Abs(hues[m] - hues[members[0]]), 0, 6));   // one family
            Assert.True(Math.Abs(hues[members[0]] - hues[other]) > 20, "another class's family has another hue");
        }
        Assert.Equal("#1f77b4", MapFigures.Shade("#1f77b4", 0, 1));    // a class with one subclass keeps its hue
    }

    [Fact]
    public void TableAndPlotsFollowTheLabels()
    {
        var map = new TsneMap([0, 1, 2, 3, 4, 5, 6, 7], 0.5, 1000, TsneMethod.Exact);
        var labels = new List<MapLabel> { new("colour", [0, 1, 0, -1], ["red", "blue"]), new("class", [1, 1, 0, 0], ["x", "y"]) };
        var t = MapFigures.Table(map, [3, 5, 8, 9], labels);
        Assert.Equal(["row", "x", "y", "colour", "class"], t.Columns);
        Assert.Equal(new object[] { 9L, 6.0, 7.0, "", "x" }, t.Rows[3]);
        // With a class label only the class plot; with neither, the first label; series per category, in its colour.
        var byClass = MapFigures.Plots(map, labels, "class", "subclass", "test");
        Assert.Equal(["tsne_class.png"], byClass.Select(p => p.FileName));
        Assert.Equal(["x", "y"], byClass[0].Series.Select(s => s.Label));
        Assert.Equal([4.0, 6.0], byClass[0].Series[0].X);
        var first = MapFigures.Plots(map, labels, null, null, "test");
        Assert.Equal(["tsne_colour.png"], first.Select(p => p.FileName));
        Assert.Equal(3, first[0].Series.Sum(s => s.X.Count));   // the unknown row is not drawn
    }

    [Fact]
    public void SubsampleIsSeededSortedAndWholeWhenSmall()
    {
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), MapFigures.Subsample(50, 100, 1));
        var a = MapFigures.Subsample(1000, 100, 1);
        Assert.Equal(100, a.Distinct().Count());
        Assert.Equal(a.Order(), a);
        Assert.Equal(a, MapFigures.Subsample(1000, 100, 1));
        Assert.NotEqual(a, MapFigures.Subsample(1000, 100, 2));
    }
}
