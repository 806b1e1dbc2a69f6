using WhichFeatures.Reporting;

namespace WhichFeatures.Tests.Reporting;

/// <summary>A row of images renders as one table row in both report files, a missing image as "-".</summary>
public class BlockDocumentTests
{
    [Fact]
    public void AnImageRowPutsItsImagesSideBySideUnderTheirCaptions()
    {
        var b = new BlockDocument();
        b.Heading("title");
        b.ImageRow([("run a (t-SNE)", "maps/a/tsne_class.png"), ("run b (no map)", null), ("run <c>", "maps/c/pca_class.png")]);
        var md = b.Markdown().Split('\n');
        int header = Array.IndexOf(md, "| run a (t-SNE) | run b (no map) | run <c> |");
        Assert.True(header > 0, string.Join('\n', md));
        Assert.Equal("|---|---|---|", md[header + 1]);
        Assert.Equal("| ![run a (t-SNE)](maps/a/tsne_class.png) | - | ![run <c>](maps/c/pca_class.png) |", md[header + 2]);

        var html = b.Html("title");
        var row = html.Split('\n').Single(l => l.Contains("tsne_class.png"));
        Assert.Contains("<th>run &lt;c&gt;</th>", row);
        Assert.Contains("<img src=\"maps/a/tsne_class.png\"", row);
        Assert.Contains("<img src=\"maps/c/pca_class.png\"", row);   // on the same line: one table
        Assert.Equal(2, row.Split("<img ").Length - 1);
        Assert.Contains("<td style=\"width:33%\">-</td>", row);
    }
}
