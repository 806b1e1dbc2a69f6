using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;
using WhichFeatures.Theory;
using static TorchSharp.torch;
using static WhichFeatures.Experiments.Theory.TheoryRuntime;

namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// JOINT: spectral loss beta·SCL + (1 − beta)·UCL on fixed views, min-norm minimizer, p = 3. SCL alone (beta = 1)
/// collapses the subclasses; UCL alone (beta = 0) spends its 3 directions on the higher-energy subclass and two easy
/// bits and suppresses the class; in between, SCL's class eigenvalues come first and UCL fills the free direction with
/// the strongest remaining shared feature (the subclass).
/// </summary>
public sealed class JointExperiment : SeededTheoryExperiment<IReadOnlyList<ModelMetrics>>
{
    /// <inheritdoc />
    public override string Name => "joint";
    /// <inheritdoc />
    public override string Description => "JOINT: beta*SCL + (1-beta)*UCL avoids both class collapse and feature suppression (spectral, min-norm, beta sweep).";
    /// <inheritdoc />
    public override IReadOnlyList<string> ClaimIds => ["JOINT"];

    /// <summary>The beta grid: 0, 0.1, ..., 1, or {0, beta, 1} when --beta is given.</summary>
    public static double[] Betas(TheoryRunOptions o) =>
        o.Beta is { } b ? new[] { 0.0, b, 1.0 }.Distinct().OrderBy(x => x).ToArray() : Enumerable.Range(0, 11).Select(i => i / 10.0).ToArray();

    /// <summary>The data: class a = 1, subclass b = 2 (balanced exactly), two easy bits c = 1.5, noise redrawn per view.</summary>
    public static SyntheticDataConfig Config(TheoryRunOptions o) => new SyntheticDataConfig
    {
        N = o.N ?? 100, NTest = o.NTest ?? 1000, D = o.D ?? 2000, ClassStrength = o.A ?? 1.0, SubclassStrength = o.B ?? 2.0,
        EasyStrength = o.C ?? 1.5, EasyCount = o.EasyCount ?? 2, NoiseSigma = o.Sigma ?? 1.0, BalanceSubclassesExactly = true,
        Augmentation = AugmentationModel.Imperfect,
    }.Validate();

    /// <inheritdoc />
    protected override void Check(TheoryRunOptions options)
    {
        var cfg = Config(options);
        RequireOverparameterised(2 * cfg.N, cfg.D, "JOINT (min-norm over 2n views)");
    }

    /// <inheritdoc />
    protected override double WorkPerSeed(TheoryRunOptions options) => Betas(options).Length;

    /// <summary>One seed: the min-norm solution's metrics at each beta of <see cref="Betas"/>, in that order.</summary>
    protected override IReadOnlyList<ModelMetrics> RunSeed(TheoryRunOptions options, long seed, IProgressTask task, CancellationToken ct)
    {
        var cfg = Config(options);
        int p = options.P ?? 3;
        using var scope = NewDisposeScope();
        var (dataSeed, trainSeed) = SeedsOf(seed);
        var (train, test) = SyntheticDataset.GenerateSplit(cfg, dataSeed);
        using var _tr = train; using var _te = test;
        var (v1, v2) = train.DrawViews(new Generator(trainSeed));
        var rows = cat(new[] { v1, v2 }, 0);                                               // [2n, d]
        var perBeta = new List<ModelMetrics>();
        foreach (var beta in Betas(options))
        {
            ct.ThrowIfCancellationRequested();
            var a = SpectralContrastiveLoss.JointWeights(train.ClassLabels, beta);
            var sol = SpectralMinimizer.MinNorm(rows, a, p);
            perBeta.Add(LinearModelEvaluator.Evaluate(sol.W, train, test));
            task.Increment(1, $"seed {seed} beta {beta}");
        }
        return perBeta;
    }

    /// <inheritdoc />
    protected override ExperimentResult Summarise(TheoryRunOptions options, IReadOnlyList<IReadOnlyList<ModelMetrics>> perSeed)
    {
        var cfg = Config(options);
        int p = options.P ?? 3;
        var betas = Betas(options);
        var seeds = options.SeedList;
        var m = new Dictionary<(long, double), ModelMetrics>();
        var table = new DataTable("joint_beta_sweep", "seed", "beta", "test_class_acc", "test_subclass_acc", "test_easy_acc", "class_share", "subclass_share", "easy_share", "class_weight", "subclass_weight", "easy_weight", "subclass_separation");
        for (int i = 0; i < seeds.Count; i++)
            for (int j = 0; j < betas.Length; j++)
            {
                var (seed, beta, r) = (seeds[i], betas[j], perSeed[i][j]);
                m[(seed, beta)] = r;
                table.Add(seed, beta, r.TestClassAccuracy, r.TestSubclassAccuracy, r.TestEasyAccuracy, r.ClassShare, r.SubclassShare, r.EasyShare, r.ClassWeight, r.SubclassWeight, r.EasyWeight, r.SubclassSeparation);
            }

        var result = new ExperimentResult { Name = Name, Parameters = new { Data = cfg, P = p, Betas = betas, Seeds = seeds, Solver = "closed-form min-norm minimizer of the spectral joint loss on fixed views" } };
        result.Tables.Add(table);
        double Mean(double beta, Func<ModelMetrics, double> f) => seeds.Average(s => f(m[(s, beta)]));
        const string plot = "joint_accuracy_vs_beta.png";
        result.Plots.Add(new PlotSpec(plot, "JOINT: spectral beta*SCL + (1-beta)*UCL, min-norm, p = " + p, "beta", "test accuracy / share",
        [
            new("class acc", betas, betas.Select(b => Mean(b, x => x.TestClassAccuracy)).ToArray()),
            new("subclass acc (fine label)", betas, betas.Select(b => Mean(b, x => x.TestSubclassAccuracy)).ToArray()),
            new("easy-bit acc", betas, betas.Select(b => Mean(b, x => x.TestEasyAccuracy)).ToArray()),
            new("class share", betas, betas.Select(b => Mean(b, x => x.ClassShare)).ToArray()),
        ], ReferenceLines: [new ReferenceLine("0.95", 0.95), new ReferenceLine("0.90", 0.90)], YMin: 0, YMax: 1.02));

        // The claim is existential in beta; a beta must work on every seed. Take the smallest such beta in (0, 1).
        var inner = betas.Where(b => b > 0 && b < 1).ToArray();
        double? chosen = inner.Cast<double?>().FirstOrDefault(b => seeds.All(s => m[(s, b!.Value)].TestClassAccuracy >= 0.95 && m[(s, b!.Value)].TestSubclassAccuracy >= 0.90));
        double jb = chosen ?? (inner.Length > 0 ? inner.MaxBy(b => seeds.Min(s => Math.Min(m[(s, b)].TestClassAccuracy, m[(s, b)].TestSubclassAccuracy))) : 0.5);
        bool sclCollapses = seeds.All(s => m[(s, 1.0)].TestSubclassAccuracy <= 0.65);
        bool uclSuppresses = inner.Length > 0 && seeds.All(s => m[(s, 0.0)].ClassShare <= 0.2 * m[(s, jb)].ClassShare && m[(s, 0.0)].TestClassAccuracy < m[(s, jb)].TestClassAccuracy);
        bool holds = chosen is not null && sclCollapses && uclSuppresses;
        var scl = S(seeds.Select(s => m[(s, 1.0)].TestSubclassAccuracy));
        var uclShare = S(seeds.Select(s => m[(s, 0.0)].ClassShare));
        var jShare = S(seeds.Select(s => m[(s, jb)].ClassShare));
        var uclCls = S(seeds.Select(s => m[(s, 0.0)].TestClassAccuracy));
        var jCls = S(seeds.Select(s => m[(s, jb)].TestClassAccuracy));
        var jSub = S(seeds.Select(s => m[(s, jb)].TestSubclassAccuracy));
        var passing = inner.Where(b => seeds.All(s => m[(s, b)].TestClassAccuracy >= 0.95 && m[(s, b)].TestSubclassAccuracy >= 0.90)).ToArray();
        result.Claims.Add(new ClaimResult
        {
            Id = "JOINT",
            Statement = "The joint loss beta·SCL + (1 − beta)·UCL avoids both class collapse and feature suppression.",
            Criterion = "In one setting where SCL alone collapses subclasses (subclass accuracy ≤ 0.65) and UCL alone suppresses the class feature (share ≤ 0.2x the joint loss's, class accuracy lower), some beta in (0, 1) gives class accuracy ≥ 0.95 and subclass accuracy ≥ 0.90. Required on every seed (one beta for all seeds).",
            Holds = holds,
            Method = $"spectral joint loss on fixed views (class, subclass, two easy bits kept; noise redrawn per view), closed-form min-norm minimizer, p = {p}, beta ∈ {{{string.Join(", ", betas)}}}",
            Values =
            [
                new("scl_beta1_test_subclass_acc", scl), V("scl_beta1_test_class_acc", seeds.Select(s => m[(s, 1.0)].TestClassAccuracy)),
                new("ucl_beta0_class_share", uclShare), new("ucl_beta0_test_class_acc", uclCls),
                new($"joint_beta{jb}_class_share", jShare), new($"joint_beta{jb}_test_class_acc", jCls), new($"joint_beta{jb}_test_subclass_acc", jSub),
                V($"joint_beta{jb}_test_easy_acc", seeds.Select(s => m[(s, jb)].TestEasyAccuracy)),
                V("ucl_over_joint_class_share", seeds.Select(s => m[(s, 0.0)].ClassShare / m[(s, jb)].ClassShare)),
            ],
            Notes = $"SCL alone (beta = 1): subclass accuracy {F(scl)} (collapsed). UCL alone (beta = 0): class share {F(uclShare)}, class accuracy {F(uclCls)} (suppressed: its {p} directions go to the subclass, b = {cfg.SubclassStrength}, and the two bits, c = {cfg.EasyStrength} > a = {cfg.ClassStrength}). " +
                    $"Joint, beta = {jb}: class {F(jCls)}, subclass {F(jSub)}, class share {F(jShare)}. Betas in (0, 1) meeting the criterion on every seed: {(passing.Length == 0 ? "none" : string.Join(", ", passing))}. " +
                    "Why: the loss is linear in the positive-pair matrix, so the joint target has eigenvalue M on the class indicators (from both terms) and (1 − beta)M on the other pair-sum directions; the class comes first, and " +
                    $"the min-norm tie-break fills the remaining direction(s) with the highest-energy shared feature(s). Easy-bit accuracy at beta = {jb}: {F(S(seeds.Select(s => m[(s, jb)].TestEasyAccuracy)))}.",
            Plots = [plot],
        });
        return result;
    }
}
