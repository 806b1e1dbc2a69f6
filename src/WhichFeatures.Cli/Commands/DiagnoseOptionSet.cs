using System.CommandLine;
using WhichFeatures.Core;

namespace WhichFeatures.Cli.Commands;

/// <summary>The options of <c>diagnose</c>: the input (files, a training run or an ONNX encoder), its reference, the settings and the output.</summary>
internal sealed class DiagnoseOptionSet
{
    public Option<string?> Embeddings { get; } = new("--embeddings") { Description = "Embeddings [N, D]: .npy (float32/float64), .npz (array 'embeddings') or .csv." };
    public Option<string?> Labels { get; } = new("--labels") { Description = "Attributes, one row per embedding row in the same order: .csv with a header (an 'id' column is skipped), .npz (1-D arrays) or .npy (1-D)." };
    public Option<string?> TestEmbeddings { get; } = new("--test-embeddings") { Description = "Held-out embeddings; without them, stratified k-fold on --embeddings." };
    public Option<string?> TestLabels { get; } = new("--test-labels") { Description = "Attributes of --test-embeddings (same columns as --labels)." };
    public Option<string?> ClassColumn { get; } = new("--class-column") { Description = "The class attribute (default: a column named 'class', if any)." };
    public Option<string?> SubclassColumn { get; } = new("--subclass-column") { Description = "The subclass attribute, nested in the class (default: a column named 'subclass', if any)." };
    public Option<string> IdColumn { get; } = new("--id-column") { Description = "Label column that is an id, not an attribute.", DefaultValueFactory = _ => "id" };
    public Option<int> Folds { get; } = new("--folds") { Description = "k of the stratified k-fold used without a test split.", DefaultValueFactory = _ => 5 };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the folds and the plotted subsample.", DefaultValueFactory = _ => 0 };
    public Option<string?> Run { get; } = new("--run") { Description = "Instead of files: the --out folder of a 'whichfeatures train' run (its last checkpoint, its dataset's labels, its test split)." };
    public Option<string?> Onnx { get; } = new("--onnx") { Description = "Instead of files: an image encoder exported to ONNX (input float32 [B, C, H, W]), run over --dataset." };
    public Option<string?> Dataset { get; } = new("--dataset") { Description = "With --onnx: cifar10, cifar100, mnist, fashion-mnist or image-folder (one subfolder per class, optional train/ and test/)." };
    public Option<string?> DataDir { get; } = new("--data-dir") { Description = "With --run: the dataset folder, if it moved since training." };
    public Option<int?> ImageSize { get; } = new("--image-size") { Description = "With --onnx: resize images to this square size first." };
    public Option<string> Mean { get; } = new("--mean") { Description = "With --onnx: per-channel mean subtracted from pixel/255, e.g. 0.485,0.456,0.406.", DefaultValueFactory = _ => "0" };
    public Option<string> Std { get; } = new("--std") { Description = "With --onnx: per-channel std dividing it, e.g. 0.229,0.224,0.225.", DefaultValueFactory = _ => "1" };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "With --onnx: images per ONNX Runtime call.", DefaultValueFactory = _ => 256 };
    public Option<int> TrainSize { get; } = new("--train-size") { Description = "With --onnx and a named dataset: training images to use (0 = all; stratified, seeded).", DefaultValueFactory = _ => 0 };
    public Option<int> TestSize { get; } = new("--test-size") { Description = "With --onnx and a named dataset: test images to use (0 = all).", DefaultValueFactory = _ => 0 };
    public Option<string> Device { get; } = new("--device") { Description = "With --onnx: auto (CUDA provider when installed), cpu or cuda.", DefaultValueFactory = _ => DeviceKinds.DefaultName };
    public Option<string?> OutDir { get; } = new("--out") { Description = "Report folder (default: runs/diagnose-<time>)." };
    public Option<bool> Force { get; } = new("--force") { Description = "Write into a non-empty --out folder." };
    public Option<int?> Bins { get; } = new("--bins") { Description = "Cut numeric attributes (more than 20 distinct values) into this many quantile bins of their training values; without it they are refused." };
    public Option<string?> Baseline { get; } = new("--baseline-embeddings") { Description = "The reference for the verdicts: embeddings of the same rows by another encoder (e.g. yours at initialisation), same formats as --embeddings. Without a reference, verdicts compare with chance." };
    public Option<string?> BaselineTest { get; } = new("--baseline-test-embeddings") { Description = "The reference's embeddings of the --test-embeddings rows." };
    public Option<string?> BaselineOnnx { get; } = new("--baseline-onnx") { Description = "With --onnx: the reference encoder (e.g. the same model untrained), run over the same images." };
    public Option<string[]> Control { get; } = new("--control") { Description = "An attribute that is a control (e.g. a random column): shown, never counted as suppressed. Repeatable.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
    public Option<int> MapRows { get; } = new("--map-rows") { Description = "Rows drawn in the t-SNE map (a seeded subsample of the embeddings); 0 draws no map.", DefaultValueFactory = _ => Maps.SubsampledMap.DefaultRows };
    public Option<double> Perplexity { get; } = new("--perplexity") { Description = "Perplexity of the t-SNE map (scikit-learn's default).", DefaultValueFactory = _ => 30 };
    public Option<int> TsneIterations { get; } = new("--tsne-iterations") { Description = "Iterations of the t-SNE map (scikit-learn's default).", DefaultValueFactory = _ => 1000 };

    /// <summary>Adds the options to <paramref name="cmd"/> in the order <c>--help</c> lists them.</summary>
    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[]
                 {
                     Embeddings, Labels, TestEmbeddings, TestLabels, ClassColumn, SubclassColumn, IdColumn, Folds, Seed, Run,
                     Onnx, Dataset, DataDir, ImageSize, Mean, Std, BatchSize, TrainSize, TestSize, Device, OutDir, Force, Bins,
                     Baseline, BaselineTest, BaselineOnnx, Control, MapRows, Perplexity, TsneIterations,
                 })
            cmd.Add(o);
    }
}
