namespace WhichFeatures.Data;

/// <summary>How an MNIST digit is put on a background image.</summary>
public enum DigitBlend
{
    /// <summary>Per pixel and channel max(digit, background): the white strokes stay visible, the background elsewhere.</summary>
    Max,

    /// <summary>Alpha blend with the digit intensity as alpha: out = a*255 + (1-a)*background, a = digit/255 (a white digit, soft edges).</summary>
    Alpha,
}
