// Throughput of the batched augmentation and the encoders on this machine.
// Usage: dotnet run -c Release --project bench/WhichFeatures.Bench -- [threads=2] [seconds-per-measure=3] [batch=256] [models=yes|no]
// Reports images/s and the CPU share other processes used meanwhile (a busy neighbour on 2 cores skews timings).
using System.Diagnostics;
using TorchSharp;
using WhichFeatures.Augmentation;
using WhichFeatures.Models;
using static TorchSharp.torch;

int threads = args.Length > 0 ? int.Parse(args[0]) : 2;
double seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
int batch = args.Length > 2 ? int.Parse(args[2]) : 256;
bool models = args.Length <= 3 || args[3] != "no";
set_num_threads(threads);
Console.WriteLine($"threads {threads}, batch {batch}, 32x32x3 uint8 input, {seconds} s per measure, {Environment.ProcessorCount} logical CPUs");

var images = randint(0, 256, new long[] { batch, 3, 32, 32 }, dtype: ScalarType.Byte, generator: new Generator(1));
var gen = new Generator(42);

foreach (var preset in new[] { "none", "weak", "simclr", "strong" })
{
    var pipeline = AugmentationPipeline.FromPreset(preset);
    Measure($"augment {preset,-7}", batch, () => { using var s = NewDisposeScope(); pipeline.Apply(images, gen); });
}

// Memory stays flat over many calls (one dispose scope per call, a GC every 50 calls as in training).
{
    var pipeline = AugmentationPipeline.FromPreset("simclr");
    long Rss() { using var p = Process.GetCurrentProcess(); p.Refresh(); return p.WorkingSet64 / (1 << 20); }
    for (int i = 0; i < 50; i++) { using var s = NewDisposeScope(); pipeline.Apply(images, gen); }
    GC.Collect();
    long before = Rss();
    for (int i = 1; i <= 500; i++) { using var s = NewDisposeScope(); pipeline.Apply(images, gen); if (i % 50 == 0) GC.Collect(); }
    GC.Collect();
    Console.WriteLine($"RSS over 500 simclr calls: {before} MB -> {Rss()} MB");
}

// The stages of simclr on their own, to see where the time goes.
using (var f = ImageTensors.ToFloat(images))
{
    var crop = new RandomResizedCrop(0.2, 1.0);
    var flip = new RandomHorizontalFlip(0.5);
    var jitter = new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8);
    var gray = new RandomGrayscale(0.2);
    Measure("  crop+flip (affine)", batch, () => { using var s = NewDisposeScope(); CropResize.Apply(f, crop.SampleBoxes(batch, 32, 32, gen), flip.SampleFlips(batch, gen)); });
    Measure("  colour jitter", batch, () => { using var s = NewDisposeScope(); jitter.Apply(f, gen); });
    Measure("  grayscale", batch, () => { using var s = NewDisposeScope(); gray.Apply(f, gen); });
}

// Encoders: one training step (forward + backward of a dummy loss) on augmented-size input.
foreach (var (name, b) in models ? new[] { ("convnet", batch), ("resnet18", 64) } : Array.Empty<(string, int)>())
{
    var model = ModelFactory.Create(new ModelConfig { Name = name, InChannels = 3, Head = ProjectionHeadKind.Mlp });
    model.train();
    var x = rand(b, 3, 32, 32);
    Measure($"{name} fwd+bwd (batch {b})", b, () =>
    {
        using var s = NewDisposeScope();
        model.zero_grad();
        var (r, z) = model.call(x);
        z.pow(2).mean().backward();
    }, Math.Max(seconds, 5));
}

void Measure(string label, int perCall, Action step, double? budget = null)
{
    for (int i = 0; i < 3; i++) step(); // warm-up
    GC.Collect();
    var (busy0, total0) = CpuTimes();
    var own0 = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    int calls = 0;
    while (sw.Elapsed.TotalSeconds < (budget ?? seconds)) { step(); calls++; if (calls % 50 == 0) GC.Collect(); }
    sw.Stop();
    var own = (Process.GetCurrentProcess().TotalProcessorTime - own0).TotalSeconds;
    var (busy1, total1) = CpuTimes();
    // Other processes' CPU = machine busy time - our own, as a share of the machine's capacity.
    double ticks = 100.0; // USER_HZ
    double machineBusy = (busy1 - busy0) / ticks, capacity = (total1 - total0) / ticks;
    double others = capacity > 0 ? Math.Max(0, machineBusy - own) / capacity : double.NaN;
    Console.WriteLine($"{label,-32} {calls * perCall / sw.Elapsed.TotalSeconds,10:N0} img/s   ({calls} calls, {1000 * sw.Elapsed.TotalSeconds / calls:F2} ms/call; others used {100 * others:F0}% of the CPUs)");
}

static (double Busy, double Total) CpuTimes()
{
    try
    {
        var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(double.Parse).ToArray();
        double idle = parts[3] + (parts.Length > 4 ? parts[4] : 0);
        double total = parts.Take(8).Sum();
        return (total - idle, total);
    }
    catch (IOException) { return (0, 0); }
}
