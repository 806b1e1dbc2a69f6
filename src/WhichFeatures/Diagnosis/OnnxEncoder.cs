using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WhichFeatures.Core;
using WhichFeatures.Data;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// An image encoder exported to ONNX (e.g. with <c>torch.onnx.export</c>), run with ONNX Runtime: NCHW float32
/// input [B, C, H, W] (B may be dynamic), one output whose rows are the embeddings (flattened to [B, D]).
/// Pixels are fed as (pixel / 255 − mean_c) / std_c. Uses the CUDA execution provider when the installed ONNX
/// Runtime has it (the Microsoft.ML.OnnxRuntime.Gpu package) and <see cref="Device"/> allows, else the CPU.
/// </summary>
public sealed class OnnxEncoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;

    /// <summary>Loads <paramref name="path"/> to run on <paramref name="device"/> (auto: the CUDA provider when installed).</summary>
    public OnnxEncoder(string path, DeviceKind device = DeviceKind.Auto, string option = "--onnx")
    {
        if (Directory.Exists(path)) throw new UserInputException($"{option} {path}: is a folder, expected an .onnx file.");
        if (!File.Exists(path)) throw new UserInputException($"{option} {path}: file not found.");
        if (!Enum.IsDefined(device)) throw new ArgumentOutOfRangeException(nameof(device));
        Path_ = path;
        var options = new SessionOptions();
        Device = DeviceKinds.All.NameOf(DeviceKind.Cpu);
        if (device != DeviceKind.Cpu)
        {
            try { options.AppendExecutionProvider_CUDA(); Device = DeviceKinds.All.NameOf(DeviceKind.Cuda); }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                if (device == DeviceKind.Cuda) throw new UserInputException($"--device cuda: this ONNX Runtime has no CUDA provider ({e.Message}); install Microsoft.ML.OnnxRuntime.Gpu or use --device cpu.", e);
            }
        }
        try { _session = new InferenceSession(path, options); }
        catch (OnnxRuntimeException e) { throw new UserInputException($"{option} {path}: not a loadable ONNX model ({e.Message.Split('\n')[0]}).", e); }
        if (_session.InputMetadata.Count != 1)
            throw new UserInputException($"{option} {path}: {_session.InputMetadata.Count} inputs ({string.Join(", ", _session.InputMetadata.Keys)}); expected one image input [B, C, H, W].");
        var (name, meta) = _session.InputMetadata.First();
        _input = name;
        InputShape = meta.Dimensions;
        if (meta.ElementType != typeof(float) || InputShape.Length != 4)
            throw new UserInputException($"{option} {path}: input '{name}' is {meta.ElementType.Name} [{string.Join(", ", InputShape)}]; expected float32 [B, C, H, W].");
    }

    /// <summary>The model file.</summary>
    public string ModelPath => Path_;
    private string Path_ { get; }
    /// <summary>The execution provider in use: "cpu" or "cuda".</summary>
    public string Device { get; }
    /// <summary>The model's input shape; -1 (or 0) marks a dynamic axis.</summary>
    public int[] InputShape { get; }

    /// <summary>
    /// Checks that images [N, <paramref name="channels"/>, <paramref name="height"/>, <paramref name="width"/>] fit the
    /// input; a 1-channel dataset fits a 3-channel model (the channel is repeated).
    /// </summary>
    public void CheckFits(int channels, int height, int width, string dataset)
    {
        int c = InputShape[1], h = InputShape[2], w = InputShape[3];
        bool ok = (c <= 0 || c == channels || (channels == 1 && c == 3)) && (h <= 0 || h == height) && (w <= 0 || w == width);
        if (!ok)
            throw new UserInputException($"--onnx {Path_}: input [{string.Join(", ", InputShape.Select(d => d <= 0 ? "B" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}] does not fit {dataset} images [N, {channels}, {height}, {width}]; pass --image-size to resize, or export the encoder for this input.");
    }

    /// <summary>Embeds every image of <paramref name="data"/>; returns [N, D] float32.</summary>
    /// <param name="data">Images uint8 [N, C, H, W].</param>
    /// <param name="mean">Per-channel mean (or one for all) subtracted from pixel / 255.</param>
    /// <param name="std">Per-channel std (or one for all) dividing it.</param>
    /// <param name="batchSize">Images per ONNX Runtime call.</param>
    /// <param name="resize">Resize to resize x resize first (bilinear), or null.</param>
    /// <param name="progress">Advanced by the number of images embedded.</param>
    /// <param name="ct">Stops between batches.</param>
    public Tensor Embed(ImageDataset data, double[] mean, double[] std, int batchSize, int? resize = null, IProgressTask? progress = null, CancellationToken ct = default)
    {
        int h = resize ?? data.Height, w = resize ?? data.Width;
        CheckFits(data.Channels, h, w, data.Name);
        int c = InputShape[1] > 0 ? InputShape[1] : data.Channels;
        if (mean.Length != c && mean.Length != 1) throw new UserInputException($"--mean: {mean.Length} values; expected 1 or {c} (one per input channel).");
        if (std.Length != c && std.Length != 1) throw new UserInputException($"--std: {std.Length} values; expected 1 or {c} (one per input channel).");
        if (std.Any(s => !(s > 0))) throw new UserInputException("--std: every value must be > 0.");
        if (batchSize < 1) throw new UserInputException($"--batch-size must be >= 1, got {batchSize}.");
        var rows = new List<float[]>();
        int dim = -1;
        for (long s = 0; s < data.Count; s += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            int b = (int)Math.Min(batchSize, data.Count - s);
            using var scope = NewDisposeScope();
            var x = data.Images.narrow(0, s, b).to_type(ScalarType.Float32) / 255.0f;           // [b, C0, H0, W0]
            if (x.shape[2] != h || x.shape[3] != w)
                x = nn.functional.interpolate(x, [h, w], mode: InterpolationMode.Bilinear, align_corners: false); // [b, C0, H, W]
            if (x.shape[1] != c) x = x.expand(b, c, h, w);                                      // gray -> RGB
            var m = tensor(Enumerable.Range(0, c).Select(k => (float)mean[mean.Length == 1 ? 0 : k]).ToArray()).view(1, c, 1, 1);
            var sd = tensor(Enumerable.Range(0, c).Select(k => (float)std[std.Length == 1 ? 0 : k]).ToArray()).view(1, c, 1, 1);
            var input = ((x - m) / sd).contiguous().data<float>().ToArray();                   // [b, c, H, W]
            var dense = new DenseTensor<float>(input, [b, c, h, w]);
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, dense)]);
            var output = results.First().AsTensor<float>();
            int d = (int)(output.Length / b);
            if (dim < 0) dim = d;
            var flat = output.ToArray();
            for (int i = 0; i < b; i++) rows.Add(flat[(i * d)..((i + 1) * d)]);
            progress?.Increment(b);
        }
        var all = new float[rows.Count * dim];
        for (int i = 0; i < rows.Count; i++) Array.Copy(rows[i], 0, all, i * dim, dim);
        return tensor(all, [rows.Count, dim]);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
