namespace WhichFeatures.Data;

/// <summary>
/// One draw of test images that earlier runs of the real suite scored, made once per seed 0, 1 and 2
/// (<see cref="EarlierTestDraws"/>).
/// </summary>
/// <param name="Split">The dataset whose test split was drawn from: <see cref="DatasetRegistry.Mnist"/> or <see cref="DatasetRegistry.Cifar10"/>.</param>
/// <param name="Size">Images drawn per seed.</param>
/// <param name="AsBackgrounds">
/// False: the seeded stratified subset of <see cref="ImageDataset.Take"/> with <see cref="Core.Seeds.TestSubset"/>
/// (every experiment's test images, and the digits of digits on backgrounds). True: the CIFAR-10 test images that
/// digits on backgrounds paired with its <paramref name="Size"/> test digits (<see cref="DigitsOnBackgrounds.Pairing"/>
/// over the whole CIFAR-10 test split, with the same seed as the digits' subset).
/// </param>
/// <param name="UsedBy">Which presets drew it, for reports and docs.</param>
public sealed record ScoredTestDraw(string Split, int Size, bool AsBackgrounds, string UsedBy);
