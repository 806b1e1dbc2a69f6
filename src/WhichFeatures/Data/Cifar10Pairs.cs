namespace WhichFeatures.Data;

/// <summary>
/// CIFAR-10 pairs: CIFAR-10's ten objects grouped into five classes of two unlike objects each (<see cref="Map"/>:
/// sky-sea = airplane + ship, road = automobile + truck, pets = cat + dog, hoofed = deer + horse, bird-frog), a small
/// stand-in for CIFAR-100's 20 superclasses of 5 (docs/paper.md §5). <see cref="LabelKeys.Class"/> is the pair,
/// <see cref="LabelKeys.Subclass"/> the object. SCL needs only what tells the pairs apart; the objects inside a pair
/// differ in ways it may drop, which is where the joint loss can keep more (docs/real-experiments.md, "Sixth round").
/// <see cref="MarkedPairs"/> adds a digit that names the pair.
/// </summary>
public static class Cifar10Pairs
{
    /// <summary>The five pairs; the pair's index is also the digit that marks it in <see cref="MarkedPairs"/>.</summary>
    public static SuperclassMap Map { get; } = new(
        ["sky-sea", "road", "pets", "hoofed", "bird-frog"],
        // airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck
        [0, 1, 4, 2, 3, 2, 4, 3, 0, 1]);
}
