using WhichFeatures.Data;

namespace WhichFeatures.Training;

/// <summary>Loads the (train, test) splits a <see cref="TrainConfig"/> asks for.</summary>
public static class TrainData
{
    /// <summary>The dataset options implied by the config (sizes, hierarchy, RandBit).</summary>
    public static DatasetLoadOptions Options(TrainConfig cfg) => new()
    {
        Superclasses = cfg.Superclasses,
        SuperclassMapFile = cfg.SuperclassMap,
        RandBits = cfg.RandBits,
        Seed = cfg.Seed,
        TrainSize = cfg.TrainSize > 0 ? cfg.TrainSize : null,
        TestSize = cfg.TestSize > 0 ? cfg.TestSize : null,
        TestSubset = cfg.TestSubset,
        ValidationSize = cfg.ValidationSize > 0 ? cfg.ValidationSize : null,
    };

    /// <summary>Loads both splits; errors name the file and what was expected.</summary>
    public static (ImageDataset Train, ImageDataset Test) Load(TrainConfig cfg) =>
        DatasetRegistry.Load(cfg.Dataset, cfg.DataDir, Options(cfg));
}
