namespace WhichFeatures.Data;

/// <summary>Where RandBit's k bits come from.</summary>
public enum RandBitSource
{
    /// <summary>A 64-bit hash of the image's bytes: the same image always gets the same bits, in every split and run.</summary>
    ImageHash,

    /// <summary>Seeded random bits per image (SplitMix64 over the images in order): independent of the image content.</summary>
    SeededRandom,
}
