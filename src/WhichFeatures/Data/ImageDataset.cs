using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Data;

/// <summary>
/// One split of an image dataset held as tensors on the CPU (no per-image objects): the pixels as one uint8
/// tensor [N, C, H, W], every label set as an int64 tensor [N], and optional extra constant channels.
/// </summary>
/// <remarks>
/// <para>Every example carries all its labels: <see cref="LabelKeys.Class"/> always, and where defined
/// <see cref="LabelKeys.Subclass"/>, <see cref="LabelKeys.RandBit"/>, <see cref="LabelKeys.Digit"/>,
/// <see cref="LabelKeys.Background"/>, ... Each label set has its names (index = label value).</para>
/// <para><see cref="ExtraChannels"/> holds the RandBit bits as float32 [N, k] (0 or 1). They are not part of
/// <see cref="Images"/> on purpose: the trainer (Training/ModelInput) appends them as k constant channels ([B, k, H, W]) to both
/// views AFTER augmentation and to test images, so augmentation can never remove them (docs/paper.md §5).</para>
/// <para>The dataset owns its tensors (they are detached from any dispose scope) and frees them on
/// <see cref="Dispose"/>. Derived datasets (<see cref="Subset(long[])"/>, <see cref="Take"/>, ...) own copies.</para>
/// </remarks>
public sealed class ImageDataset : IDisposable
{
    private readonly Dictionary<string, Tensor> _labels;
    private readonly Dictionary<string, IReadOnlyList<string>> _labelNames;
    private bool _disposed;

    /// <summary>Creates a dataset and takes ownership of the tensors given.</summary>
    /// <param name="name">A short name for messages and reports (e.g. "cifar10/train").</param>
    /// <param name="images">uint8 [N, C, H, W].</param>
    /// <param name="labels">int64 [N] per label set; must contain <see cref="LabelKeys.Class"/>.</param>
    /// <param name="labelNames">The names of each label set's values; every label value must be below its name count.</param>
    /// <param name="extraChannels">Optional float32 [N, k] (e.g. RandBit bits), appended by the trainer after augmentation.</param>
    /// <param name="sourceIndices">Each example's index in the source file(s) of its split (default 0..N-1: the files' order).</param>
    public ImageDataset(string name, Tensor images, IReadOnlyDictionary<string, Tensor> labels,
        IReadOnlyDictionary<string, IReadOnlyList<string>> labelNames, Tensor? extraChannels = null, long[]? sourceIndices = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(labelNames);
        Name = string.IsNullOrWhiteSpace(name) ? "dataset" : name;
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
            throw new ArgumentException($"{Name}: images must be uint8 [N, C, H, W], got {images.dtype} [{string.Join(", ", images.shape)}]", nameof(images));
        if (images.device_type != DeviceType.CPU)
            throw new ArgumentException($"{Name}: images must be on the CPU", nameof(images));
        long n = images.shape[0];
        // The min/max temporaries of the checks are freed here, not left to the GC.
        using (NewDisposeScope()) ValidateLabels(Name, n, labels, labelNames);
        if (extraChannels is not null)
        {
            if (extraChannels.dtype != ScalarType.Float32 || extraChannels.dim() != 2 || extraChannels.shape[0] != n)
                throw new ArgumentException($"{Name}: extra channels must be float32 [{n}, k], got {extraChannels.dtype} [{string.Join(", ", extraChannels.shape)}]", nameof(extraChannels));
        }

        if (sourceIndices is not null && sourceIndices.Length != n)
            throw new ArgumentException($"{Name}: {sourceIndices.Length} source indices for {n} examples", nameof(sourceIndices));
        SourceIndices = sourceIndices ?? Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray();
        Images = images.DetachFromDisposeScope();
        _labels = labels.ToDictionary(kv => kv.Key, kv => kv.Value.DetachFromDisposeScope());
        _labelNames = labelNames.Where(kv => _labels.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        ExtraChannels = extraChannels?.DetachFromDisposeScope();
    }

    private static void ValidateLabels(string name, long n, IReadOnlyDictionary<string, Tensor> labels, IReadOnlyDictionary<string, IReadOnlyList<string>> labelNames)
    {
        if (!labels.ContainsKey(LabelKeys.Class))
            throw new ArgumentException($"{name}: labels must contain \"{LabelKeys.Class}\"", nameof(labels));
        foreach (var (key, t) in labels)
        {
            if (t.dtype != ScalarType.Int64 || t.dim() != 1 || t.shape[0] != n)
                throw new ArgumentException($"{name}: label \"{key}\" must be int64 [{n}], got {t.dtype} [{string.Join(", ", t.shape)}]", nameof(labels));
            if (!labelNames.TryGetValue(key, out var names))
                throw new ArgumentException($"{name}: label \"{key}\" has no names", nameof(labelNames));
            if (n > 0)
            {
                long min = t.min().ToInt64(), max = t.max().ToInt64();
                if (min < 0 || max >= names.Count)
                    throw new ArgumentException($"{name}: label \"{key}\" values must be in [0, {names.Count}), found [{min}, {max}]", nameof(labels));
            }
        }
    }

    /// <summary>A short name for messages and reports.</summary>
    public string Name { get; }

    /// <summary>Each example's index in the source file(s) of its split (record order), kept through subsets, so
    /// samples.csv and user labels can name the exact images a run used.</summary>
    public IReadOnlyList<long> SourceIndices { get; }

    /// <summary>The pixels, uint8 [N, C, H, W] on the CPU.</summary>
    public Tensor Images { get; }

    /// <summary>Every label set, int64 [N] each; always contains <see cref="LabelKeys.Class"/>.</summary>
    public IReadOnlyDictionary<string, Tensor> Labels => _labels;

    /// <summary>The names of each label set's values (index = label value).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames => _labelNames;

    /// <summary>Optional float32 [N, k] constant channels (RandBit), appended by the trainer after augmentation; null when none.</summary>
    public Tensor? ExtraChannels { get; }

    /// <summary>The number of examples N.</summary>
    public long Count => Images.shape[0];

    /// <summary>Image channels C (not counting <see cref="ExtraChannels"/>).</summary>
    public int Channels => (int)Images.shape[1];

    /// <summary>Image height H.</summary>
    public int Height => (int)Images.shape[2];

    /// <summary>Image width W.</summary>
    public int Width => (int)Images.shape[3];

    /// <summary>k, the number of extra constant channels (0 when none).</summary>
    public int ExtraChannelCount => ExtraChannels is null ? 0 : (int)ExtraChannels.shape[1];

    /// <summary>The <see cref="LabelKeys.Class"/> labels, int64 [N].</summary>
    public Tensor ClassLabels => _labels[LabelKeys.Class];

    /// <summary>The number of values label set <paramref name="key"/> can take.</summary>
    public int NumClasses(string key = LabelKeys.Class) => Names(key).Count;

    /// <summary>The names of label set <paramref name="key"/>; an unknown key is a user error listing the keys.</summary>
    public IReadOnlyList<string> Names(string key = LabelKeys.Class) =>
        _labelNames.TryGetValue(key, out var names) ? names
            : throw new UserInputException($"{Name}: no label \"{key}\"; this dataset has: {string.Join(", ", _labels.Keys)}");

    /// <summary>The label tensor of <paramref name="key"/>, int64 [N]; an unknown key is a user error listing the keys.</summary>
    public Tensor Label(string key)
    {
        Names(key);
        return _labels[key];
    }

    /// <summary>How many examples have each value of label <paramref name="key"/> (length = <see cref="NumClasses"/>).</summary>
    public long[] CountsPerClass(string key = LabelKeys.Class)
    {
        int classes = NumClasses(key);
        var counts = new long[classes];
        foreach (var v in LabelValues(key)) counts[v]++;
        return counts;
    }

    /// <summary>The values of label <paramref name="key"/> copied to a managed array.</summary>
    public long[] LabelValues(string key = LabelKeys.Class) => Label(key).data<long>().ToArray();

    /// <summary>Every example except those at <paramref name="indices"/>, in file order, as a new dataset owning copies (the rest of a carve).</summary>
    public ImageDataset Without(IEnumerable<long> indices)
    {
        var drop = new bool[Count];
        foreach (long i in indices) drop[i] = true;
        return Subset(Enumerable.Range(0, (int)Count).Where(i => !drop[i]).Select(i => (long)i).ToArray());
    }

    /// <summary>The examples at <paramref name="indices"/> (in that order), as a new dataset owning copies.</summary>
    public ImageDataset Subset(long[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        using var idx = tensor(indices, dtype: ScalarType.Int64);
        return Subset(idx);
    }

    /// <summary>The examples at <paramref name="indices"/> (int64 [M], in that order), as a new dataset owning copies.</summary>
    public ImageDataset Subset(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ThrowIfDisposed();
        if (indices.dim() != 1) throw new ArgumentException("indices must be 1-D", nameof(indices));
        using var scope = NewDisposeScope();
        var idx = indices.to_type(ScalarType.Int64).cpu();                                        // [M]
        if (idx.numel() > 0)
        {
            long min = idx.min().ToInt64(), max = idx.max().ToInt64();
            if (min < 0 || max >= Count)
                throw new UserInputException($"{Name}: subset indices must be in [0, {Count}), found [{min}, {max}]");
        }
        var images = Images.index_select(0, idx);                                                 // [M, C, H, W]
        var labels = _labels.ToDictionary(kv => kv.Key, kv => kv.Value.index_select(0, idx));     // [M] each
        var extra = ExtraChannels?.index_select(0, idx);                                          // [M, k]
        var source = idx.data<long>().ToArray().Select(i => SourceIndices[(int)i]).ToArray();
        return new ImageDataset(Name, images, labels, _labelNames, extra, source);
    }

    /// <summary>
    /// <paramref name="n"/> examples chosen with <paramref name="seed"/>, in their original order. Stratified
    /// (default): each value of the stratifying label gets floor(n * share) examples and the leftover goes to
    /// the values with the largest remainders, so proportions are kept; otherwise a seeded uniform sample.
    /// The stratifying label is <paramref name="labelKey"/>, by default the finest one present
    /// (<see cref="LabelKeys.Subclass"/> if there, else <see cref="LabelKeys.Class"/>), which also keeps the
    /// class proportions. The same seed always gives the same subset (SplitMix64, independent of the .NET version).
    /// </summary>
    public ImageDataset Take(long n, long seed, bool stratified = true, string? labelKey = null)
    {
        ThrowIfDisposed();
        if (n <= 0 || n > Count)
            throw new UserInputException($"{Name}: cannot take {n} examples; expected 1 to {Count} (the size of this split)");
        var key = labelKey ?? (_labels.ContainsKey(LabelKeys.Subclass) ? LabelKeys.Subclass : LabelKeys.Class);
        return Subset(TakeIndices(LabelValues(key), NumClasses(key), n, seed, stratified));
    }

    /// <summary>The index selection behind <see cref="Take"/> (sorted), exposed for tests and for callers holding labels only.</summary>
    internal static long[] TakeIndices(long[] classes, int numClasses, long n, long seed, bool stratified)
    {
        var rng = new SeededRandom(seed);
        if (!stratified)
        {
            var all = Enumerable.Range(0, classes.Length).Select(i => (long)i).ToArray();
            rng.Shuffle(all);
            var chosen = all.Take((int)n).ToArray();
            Array.Sort(chosen);
            return chosen;
        }
        var byClass = Enumerable.Range(0, numClasses).Select(_ => new List<long>()).ToArray();
        for (long i = 0; i < classes.Length; i++) byClass[classes[i]].Add(i);
        var counts = byClass.Select(m => (long)m.Count).ToArray();
        return TakeQuotas(byClass, StratifiedQuotas(counts, n, counts), rng);
    }

    /// <summary>
    /// The stratified draw's last step, shared with <see cref="Round3TestSubset"/>: <paramref name="quota"/>[c] of
    /// class c's candidates (<paramref name="byClass"/>[c]), each class's candidates shuffled in turn by
    /// <paramref name="rng"/>; the chosen indices sorted.
    /// </summary>
    internal static long[] TakeQuotas(IReadOnlyList<List<long>> byClass, IReadOnlyList<long> quota, SeededRandom rng)
    {
        var result = new List<long>((int)quota.Sum());
        for (int c = 0; c < byClass.Count; c++)
        {
            var members = byClass[c].ToArray();
            rng.Shuffle(members);
            result.AddRange(members.Take((int)quota[c]));
        }
        var sorted = result.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>
    /// How many of <paramref name="n"/> examples each value gets in a stratified draw: floor(n * share), share =
    /// <paramref name="counts"/>[c] / their sum, and the leftover one each to the values with the largest remainders
    /// (ties: the lower value), skipping values already at their <paramref name="capacity"/>. The quotas of
    /// <see cref="TakeIndices"/> (capacity = counts); a floor above a value's capacity is left to the caller to refuse.
    /// </summary>
    internal static long[] StratifiedQuotas(IReadOnlyList<long> counts, long n, IReadOnlyList<long> capacity)
    {
        int numClasses = counts.Count;
        long total = counts.Sum();
        var quota = new long[numClasses];
        var remainder = new double[numClasses];
        for (int c = 0; c < numClasses; c++)
        {
            double exact = (double)n * counts[c] / total;
            quota[c] = (long)Math.Floor(exact);
            remainder[c] = exact - quota[c];
        }
        long left = n - quota.Sum();
        foreach (var c in Enumerable.Range(0, numClasses).OrderByDescending(c => remainder[c]).ThenBy(c => c))
        {
            if (left == 0) break;
            if (quota[c] < capacity[c]) { quota[c]++; left--; }
        }
        return quota;
    }

    /// <summary>
    /// A stratified draw of <paramref name="n"/> examples among those not <paramref name="excluded"/>, the quotas set
    /// by the whole split's class shares (<see cref="StratifiedQuotas"/>), each class's quota drawn from its other
    /// examples with <paramref name="seed"/> (<see cref="TakeQuotas"/>); sorted. Null when some class has too few; then
    /// <paramref name="capacity"/> holds each class's count of examples not excluded. Round 3's test subset and round
    /// 4's training carve are such draws.
    /// </summary>
    internal static long[]? TakeStratifiedExcept(long[] classes, int numClasses, bool[] excluded, long n, long seed, out long[] capacity)
    {
        var counts = new long[numClasses];
        var candidates = Enumerable.Range(0, numClasses).Select(_ => new List<long>()).ToArray();
        for (long i = 0; i < classes.Length; i++)
        {
            counts[classes[i]]++;
            if (!excluded[i]) candidates[classes[i]].Add(i);
        }
        var cap = candidates.Select(f => (long)f.Count).ToArray();
        capacity = cap;
        var quota = StratifiedQuotas(counts, n, cap);
        if (quota.Sum() != n || quota.Where((q, c) => q > cap[c]).Any()) return null;
        return TakeQuotas(candidates, quota, new SeededRandom(seed));
    }

    /// <summary>A copy whose labels and names are replaced (images and extra channels copied).</summary>
    public ImageDataset WithLabels(IReadOnlyDictionary<string, Tensor> labels, IReadOnlyDictionary<string, IReadOnlyList<string>> names, string? name = null)
    {
        ThrowIfDisposed();
        return new ImageDataset(name ?? Name, Images.clone(), labels, names, ExtraChannels?.clone(), [.. SourceIndices]);
    }

    /// <summary>Shape and labels in one line, e.g. "cifar10/train: 10000 x [3, 32, 32], labels class(10)".</summary>
    public override string ToString() =>
        $"{Name}: {Count} x [{Channels}, {Height}, {Width}]{(ExtraChannelCount > 0 ? $" + {ExtraChannelCount} extra channels" : "")}, labels " +
        string.Join(", ", _labels.Keys.Select(k => $"{k}({_labelNames[k].Count})"));

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Images.Dispose();
        foreach (var t in _labels.Values) t.Dispose();
        ExtraChannels?.Dispose();
    }
}
