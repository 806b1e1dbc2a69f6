namespace WhichFeatures.Data;

/// <summary>Which IDX dataset: the files have the same names and layout, only the class names differ.</summary>
public enum MnistVariant
{
    /// <summary>Handwritten digits 0-9.</summary>
    Mnist,

    /// <summary>Zalando's Fashion-MNIST: 10 clothing classes.</summary>
    FashionMnist,
}
