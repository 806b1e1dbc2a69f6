using System.Net;
using System.Text;

namespace WhichFeatures.Reporting;

/// <summary>
/// A report as a list of blocks (headings, paragraphs, tables, images) that renders to Markdown and to HTML, so the
/// two files of one report always agree. The first block, when a heading, is the title (<c>#</c> / <c>h1</c>).
/// </summary>
public sealed class BlockDocument
{
    private abstract record Block;
    private sealed record HeadingBlock(string Text) : Block;
    private sealed record ParagraphBlock(string Text, bool Strong) : Block;
    private sealed record TableBlock(string[] Header, IReadOnlyList<string[]> Rows) : Block;
    private sealed record ImageBlock(string Alt, string File) : Block;
    private sealed record ImageRowBlock(IReadOnlyList<(string Caption, string? File)> Cells) : Block;

    private readonly List<Block> _blocks = [];

    /// <summary>Adds a heading (the title when it is the first block).</summary>
    public void Heading(string text) => _blocks.Add(new HeadingBlock(text));

    /// <summary>Adds a paragraph, in bold when <paramref name="strong"/>.</summary>
    public void Paragraph(string text, bool strong = false) => _blocks.Add(new ParagraphBlock(text, strong));

    /// <summary>Adds a table with a header row; every row has one cell per header cell.</summary>
    public void Table(string[] header, IReadOnlyList<string[]> rows) => _blocks.Add(new TableBlock(header, rows));

    /// <summary>Adds an image by its file name, relative to the report.</summary>
    public void Image(string alt, string file) => _blocks.Add(new ImageBlock(alt, file));

    /// <summary>
    /// Adds images next to each other, each under its caption (a table of one row); a cell without a file says "-".
    /// For pictures that are read side by side, such as the same map of several encoders.
    /// </summary>
    public void ImageRow(IReadOnlyList<(string Caption, string? File)> cells) => _blocks.Add(new ImageRowBlock(cells));

    /// <summary>The document as Markdown (report.md).</summary>
    public string Markdown()
    {
        var md = new StringBuilder();
        bool first = true;
        foreach (var block in _blocks)
        {
            switch (block)
            {
                case HeadingBlock h: md.AppendLine((first ? "# " : "## ") + h.Text); break;
                case ParagraphBlock p: md.AppendLine(p.Strong ? $"**{p.Text}**" : p.Text); break;
                case TableBlock t:
                    md.AppendLine("| " + string.Join(" | ", t.Header) + " |");
                    md.AppendLine("|" + string.Concat(t.Header.Select(_ => "---|")));
                    foreach (var row in t.Rows) md.AppendLine("| " + string.Join(" | ", row) + " |");
                    break;
                case ImageBlock i: md.AppendLine($"![{i.Alt}]({i.File})"); break;
                case ImageRowBlock r:
                    md.AppendLine("| " + string.Join(" | ", r.Cells.Select(c => c.Caption)) + " |");
                    md.AppendLine("|" + string.Concat(r.Cells.Select(_ => "---|")));
                    md.AppendLine("| " + string.Join(" | ", r.Cells.Select(c => c.File is null ? "-" : $"![{c.Caption}]({c.File})")) + " |");
                    break;
            }
            md.AppendLine();
            first = false;
        }
        return md.ToString();
    }

    /// <summary>The document as a standalone HTML page (report.html) titled <paramref name="title"/>.</summary>
    public string Html(string title)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.AppendLine($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{E(title)}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}</style></head><body>");
        bool first = true;
        foreach (var block in _blocks)
        {
            html.AppendLine(block switch
            {
                HeadingBlock h => first ? $"<h1>{E(h.Text)}</h1>" : $"<h2>{E(h.Text)}</h2>",
                ParagraphBlock p => p.Strong ? $"<p><strong>{E(p.Text)}</strong></p>" : $"<p>{E(p.Text)}</p>",
                TableBlock t => "<table><tr>" + string.Concat(t.Header.Select(c => $"<th>{E(c)}</th>")) + "</tr>" +
                                string.Concat(t.Rows.Select(row => "<tr>" + string.Concat(row.Select(c => $"<td>{E(c)}</td>")) + "</tr>")) + "</table>",
                ImageBlock i => $"<p><img src=\"{E(i.File)}\" alt=\"{E(i.Alt)}\"></p>",
                ImageRowBlock r => "<table><tr>" + string.Concat(r.Cells.Select(c => $"<th>{E(c.Caption)}</th>")) + "</tr><tr>" +
                                   string.Concat(r.Cells.Select(c => $"<td style=\"width:{100 / Math.Max(r.Cells.Count, 1)}%\">" +
                                       (c.File is null ? "-" : $"<img src=\"{E(c.File)}\" alt=\"{E(c.Caption)}\" style=\"max-width:100%\">") + "</td>")) + "</tr></table>",
                _ => "",
            });
            first = false;
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }
}
