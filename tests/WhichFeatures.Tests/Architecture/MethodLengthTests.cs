using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace WhichFeatures.Tests.Architecture;

/// <summary>
/// No method in src/ is longer than <see cref="MaxLines"/> lines (docs/architecture.md, "Rules that keep it this
/// way"): a step that does not fit on a screen is split into named steps. Option and argument declarations in the CLI's
/// command builders do not count; they are a list, not logic.
/// </summary>
public class MethodLengthTests
{
    /// <summary>The longest a method may be, in lines from its signature to its closing brace.</summary>
    public const int MaxLines = 70;

    [Fact]
    public void NoMethodInSrcIsLongerThanTheLimit()
    {
        var tooLong = MethodLengths(Path.Combine(RepositoryFolder.Root(), "src"))
            .Where(m => m.Lines > MaxLines)
            .Select(m => $"{m.Name}: {m.Lines} lines").ToList();
        Assert.True(tooLong.Count == 0, $"Methods over {MaxLines} lines:\n" + string.Join("\n", tooLong));
    }

    // The counter must see every kind of method body and leave out only option declarations, or the main test
    // passes vacuously.
    [Fact]
    public void TheCounterMeasuresEveryKindOfMethodAndSkipsOnlyOptionDeclarations()
    {
        var source = """
            class C
            {
                /// <summary>Docs and attributes do not count.</summary>
                [Obsolete]
                public int Method()
                {
                    return 1;
                }
                C() { }
                int P { get { return 2; } }
                int Arrow(int x) =>
                    x + 1;
                int Q =>
                    3;
                static Command Create()
                {
                    var a = new Option<int>("--a")
                    {
                        Description = "a",
                    };
                    Option<string> b = new("--b");
                    var n = new Argument<string>("name");
                    return new Command("c");
                }
            }
            """;
        var lengths = Lengths(source, "C.cs").ToDictionary(m => m.Name, m => m.Lines);
        Assert.Equal(4, lengths["C.cs: C.Method"]);
        Assert.Equal(1, lengths["C.cs: C.C"]);
        Assert.Equal(1, lengths["C.cs: C.P.get"]);
        Assert.Equal(2, lengths["C.cs: C.Arrow"]);
        Assert.Equal(2, lengths["C.cs: C.Q"]);
        Assert.Equal(4, lengths["C.cs: C.Create"]);
    }

    /// <summary>Every method, constructor, accessor, operator and expression-bodied property under <paramref name="root"/> with its length.</summary>
    public static IEnumerable<(string Name, int Lines)> MethodLengths(string root) =>
        Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .SelectMany(f => Lengths(File.ReadAllText(f), Path.GetRelativePath(root, f).Replace('\\', '/')))
            .OrderByDescending(m => m.Lines).ThenBy(m => m.Name, StringComparer.Ordinal);

    private static IEnumerable<(string Name, int Lines)> Lengths(string source, string file)
    {
        var tree = CSharpSyntaxTree.ParseText(source);
        foreach (var member in tree.GetRoot().DescendantNodes().OfType<MemberDeclarationSyntax>().Where(IsMethodLike))
            yield return ($"{file}: {NameOf(member)}", LineCount(member) - OptionDeclarationLines(member));
        foreach (var accessor in tree.GetRoot().DescendantNodes().OfType<AccessorDeclarationSyntax>().Where(a => a.Body is not null || a.ExpressionBody is not null))
            yield return ($"{file}: {NameOf((MemberDeclarationSyntax)accessor.Parent!.Parent!)}.{accessor.Keyword.Text}", LineCount(accessor));
    }

    private static bool IsMethodLike(MemberDeclarationSyntax m) =>
        m is BaseMethodDeclarationSyntax { Body: not null } or BaseMethodDeclarationSyntax { ExpressionBody: not null }
            or BasePropertyDeclarationSyntax and (PropertyDeclarationSyntax { ExpressionBody: not null } or IndexerDeclarationSyntax { ExpressionBody: not null });

    // From the first token after the attributes (the docs are trivia before it) to the last token.
    private static int LineCount(SyntaxNode node)
    {
        var first = node.ChildNodesAndTokens().First(c => !c.IsKind(SyntaxKind.AttributeList));
        var start = node.SyntaxTree.GetLineSpan(first.Span).StartLinePosition.Line;
        var end = node.SyntaxTree.GetLineSpan(node.Span).EndLinePosition.Line;
        return end - start + 1;
    }

    // `var x = new Option<T>(...) { ... };`, `Option<T> x = new(...);` and the same for Argument<T>.
    private static int OptionDeclarationLines(SyntaxNode method) =>
        method.DescendantNodes().OfType<LocalDeclarationStatementSyntax>()
            .Where(d => IsOptionType(d.Declaration.Type) || d.Declaration.Variables.Any(v => v.Initializer?.Value is ObjectCreationExpressionSyntax o && IsOptionType(o.Type)))
            .Sum(LineCount);

    private static bool IsOptionType(TypeSyntax type) => type is GenericNameSyntax { Identifier.Text: "Option" or "Argument" };

    private static string NameOf(MemberDeclarationSyntax member)
    {
        var type = member.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text ?? "";
        var name = member switch
        {
            MethodDeclarationSyntax m => m.Identifier.Text,
            ConstructorDeclarationSyntax c => c.Identifier.Text,
            DestructorDeclarationSyntax d => "~" + d.Identifier.Text,
            OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
            ConversionOperatorDeclarationSyntax c => "operator " + c.Type,
            PropertyDeclarationSyntax p => p.Identifier.Text,
            IndexerDeclarationSyntax => "this[]",
            EventDeclarationSyntax e => e.Identifier.Text,
            _ => member.Kind().ToString(),
        };
        return type == "" ? name : $"{type}.{name}";
    }
}
