namespace WhichFeatures.Maps;

/// <summary>Where the map starts (scikit-learn's <c>init</c>).</summary>
public enum TsneInit
{
    /// <summary>The top two principal components, scaled so the first has standard deviation 1e-4 (scikit-learn 1.2's default).</summary>
    Pca,
    /// <summary>Gaussian with standard deviation 1e-4, drawn from the options' seed.</summary>
    Random,
}
