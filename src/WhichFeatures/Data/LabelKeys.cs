namespace WhichFeatures.Data;

/// <summary>The names of the label sets an <see cref="ImageDataset"/> can carry.</summary>
public static class LabelKeys
{
    /// <summary>The label the supervised loss (SCL) uses: CIFAR-10 class, CIFAR-100 coarse class, a superclass, a digit.</summary>
    public const string Class = "class";

    /// <summary>The finer label under <see cref="Class"/>: CIFAR-100 fine class, the original class under a superclass map.</summary>
    public const string Subclass = "subclass";

    /// <summary>The RandBit value (k bits read as an integer in [0, 2^k)).</summary>
    public const string RandBit = "randbit";

    /// <summary>The MNIST digit in digits-on-backgrounds.</summary>
    public const string Digit = "digit";

    /// <summary>The CIFAR-10 class of the background in digits-on-backgrounds.</summary>
    public const string Background = "background";

    /// <summary>The digit marked on an image of marked pairs (it names the image's pair on most images).</summary>
    public const string Mark = "mark";

    /// <summary>A subclass label that was already there when a superclass map was applied (kept, renamed).</summary>
    public const string OriginalSubclass = "original_subclass";
}
