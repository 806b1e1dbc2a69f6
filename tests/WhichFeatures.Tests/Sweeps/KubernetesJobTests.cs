using System.Globalization;
using System.Text.Json.Nodes;
using Json.Schema;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// k8s-job.yaml is a valid batch/v1 Indexed Job (checked against Fixtures/batch-v1-job.schema.json, a trimmed
/// hand-written schema whose source is stated inside it) that runs one unit per completion index. No cluster here.
/// </summary>
public class KubernetesJobTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sweeps", "Fixtures", "batch-v1-job.schema.json")));

    /// <summary>YAML 1.2 core schema to JSON: plain scalars that read as integers or booleans are those; quoted ones stay strings.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } p when long.TryParse(p.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => JsonValue.Create(i),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
        YamlScalarNode p => JsonValue.Create(p.Value),
        _ => throw new InvalidOperationException(node.NodeType.ToString()),
    };

    private static JsonNode Load(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(path));
        yaml.Load(reader);
        return ToJson(Assert.Single(yaml.Documents).RootNode)!;
    }

    private static EvaluationResults Validate(JsonNode job) => Schema.Evaluate(job, new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Errors(EvaluationResults r) =>
        string.Join("; ", (r.Details ?? []).Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheJobIsAValidIndexedBatchV1Job(bool gpu)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        string[] args = ["reproduce", "--plan", dir, "--only", "toy,joint", "--seeds", "3", "--max-parallel", "2", "--mem", "3G", "--cpus-per-task", "4"];
        Assert.Equal(0, CliHarness.InProcess(gpu ? [.. args, "--gpu"] : args).Code);
        var job = Load(Path.Combine(dir, SweepScripts.KubernetesFile));
        var result = Validate(job);
        Assert.True(result.IsValid, Errors(result));

        var spec = job["spec"]!;
        Assert.Equal("Indexed", spec["completionMode"]!.GetValue<string>());
        Assert.Equal(SweepFiles.ManifestLines(dir).Length, spec["completions"]!.GetValue<long>());
        Assert.Equal(2, spec["parallelism"]!.GetValue<long>());
        var pod = spec["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        Assert.Equal(["whichfeatures", "sweep", "run", SweepScripts.PodSweepPath], container["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("3Gi", container["resources"]!["requests"]!["memory"]!.GetValue<string>());
        Assert.Equal(SweepScripts.PodSweepPath, container["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());
        Assert.Equal(container["volumeMounts"]![0]!["name"]!.GetValue<string>(), pod["volumes"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(gpu, container["resources"]!["limits"]?["nvidia.com/gpu"] is not null);
    }

    [Fact]
    public void TheSchemaRejectsAJobWithAMisplacedOrWrongField()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        Assert.Equal(0, CliHarness.InProcess("reproduce", "--plan", dir, "--only", "toy").Code);
        var good = Load(Path.Combine(dir, SweepScripts.KubernetesFile));
        var badMode = good.DeepClone();
        badMode["spec"]!["completionMode"] = "indexed";
        Assert.False(Validate(badMode).IsValid);
        var badPlace = good.DeepClone();
        badPlace["spec"]!["template"]!["spec"]!["parallelism"] = 2;
        Assert.False(Validate(badPlace).IsValid);
        var badRestart = good.DeepClone();
        badRestart["spec"]!["template"]!["spec"]!["restartPolicy"] = "Always";
        Assert.False(Validate(badRestart).IsValid);
    }
}
