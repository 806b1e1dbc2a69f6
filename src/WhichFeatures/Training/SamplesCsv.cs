using WhichFeatures.Data;
using WhichFeatures.Reporting;

namespace WhichFeatures.Training;

/// <summary>
/// samples.csv in every run folder: one row per example the run loaded, so a user can line up their own attributes
/// with the exact images used. Columns: <c>split</c> (train/test), <c>position</c> (row in that split as loaded, the
/// order of every representation and probe), <c>source_index</c> (record index in the split's source file(s); with
/// --validation-size the test rows are the validation carve and their source is the training file), then each
/// built-in label's value id.
/// </summary>
public static class SamplesCsv
{
    /// <summary>The file name inside a run folder.</summary>
    public const string FileName = "samples.csv";

    /// <summary>Writes samples.csv for both splits (atomically).</summary>
    public static void Write(string runDir, ImageDataset train, ImageDataset test)
    {
        var labels = train.Labels.Keys.Where(test.Labels.ContainsKey).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var table = new DataTable("samples", ["split", "position", "source_index", .. labels]);
        foreach (var (split, data) in new[] { ("train", train), ("test", test) })
        {
            var values = labels.Select(data.LabelValues).ToList();
            for (int i = 0; i < data.Count; i++)
                table.Add([split, i, data.SourceIndices[i], .. values.Select(v => (object)v[i])]);
        }
        CsvWriter.Write(Path.Combine(runDir, FileName), table);
    }
}
