using WhichFeatures.Core;

namespace WhichFeatures.Training;

/// <summary>A checkpoint file that is truncated, corrupted (checksum mismatch) or not a WhichFeatures checkpoint.</summary>
public sealed class CheckpointFormatException(string message, Exception? inner = null) : UserInputException(message, inner);
