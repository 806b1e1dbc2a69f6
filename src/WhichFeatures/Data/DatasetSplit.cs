namespace WhichFeatures.Data;

/// <summary>Which half of a dataset: the training split or the test split.</summary>
public enum DatasetSplit
{
    /// <summary>The training split (CIFAR data_batch_N / train.bin, MNIST train-*).</summary>
    Train,

    /// <summary>The test split (CIFAR test_batch / test.bin, MNIST t10k-*).</summary>
    Test,
}
