using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Nights;

/// <summary>
/// Every blob and instance name of a night, derived from the night alone, so each step finds what the others wrote and
/// only names (never contents) travel between them.
/// </summary>
/// <remarks>
/// Outputs: <c>&lt;outputPrefix&gt;night-report.jsonl</c> and <c>night-summary.json</c>. Intermediates, removed when the
/// night finishes: <c>&lt;outputPrefix&gt;night.work/&lt;instance&gt;/batch-NNNNNN.manifest.jsonl</c> (the exposures of a batch, as
/// listed) and <c>batch-NNNNNN.part-NNNN.jsonl</c> (report entries, as the batch records them).
/// </remarks>
public static class NightLayout
{
    /// <summary>The per-exposure report.</summary>
    public static BlobPath Report(NightRequest night) => new(Checked(night).OutputContainer, night.OutputPrefix + "night-report.jsonl");

    /// <summary>The summary.</summary>
    public static BlobPath Summary(NightRequest night) => new(Checked(night).OutputContainer, night.OutputPrefix + "night-summary.json");

    /// <summary>The folder of the night's intermediates.</summary>
    public static string WorkPrefix(NightRequest night) =>
        Checked(night).OutputPrefix + "night.work/" + (night.InstanceId ?? throw new ArgumentException("The night has no instance id.", nameof(night))) + "/";

    /// <summary>The manifest of batch <paramref name="batch"/>.</summary>
    public static BlobPath Manifest(NightRequest night, int batch) => new(Checked(night).OutputContainer, $"{WorkPrefix(night)}batch-{batch:D6}.manifest.jsonl");

    /// <summary>The prefix of batch <paramref name="batch"/>'s report parts.</summary>
    public static string PartPrefix(NightRequest night, int batch) => $"{WorkPrefix(night)}batch-{batch:D6}.part-";

    /// <summary>Report part <paramref name="part"/> of batch <paramref name="batch"/>.</summary>
    public static BlobPath Part(NightRequest night, int batch, int part) => new(Checked(night).OutputContainer, $"{PartPrefix(night, batch)}{part:D4}.jsonl");

    /// <summary>The instance of one lane.</summary>
    public static string LaneInstance(string nightInstance, int lane) => $"{nightInstance}-lane{lane:D3}";

    /// <summary>The instance of one batch.</summary>
    public static string BatchInstance(string nightInstance, int batch) => $"{nightInstance}-b{batch:D6}";

    /// <summary>The instance of one exposure of a batch (its manifest line).</summary>
    public static string ExposureInstance(string nightInstance, int batch, int index) => $"{BatchInstance(nightInstance, batch)}-{index:D4}";

    /// <summary>The visit of an exposure: the first folder of its name below the night's prefix (empty when it has none).
    /// A batch never holds two visits.</summary>
    public static string VisitOf(string name, string prefix)
    {
        ArgumentNullException.ThrowIfNull(name);
        string relative = name.StartsWith(prefix ?? "", StringComparison.Ordinal) ? name[(prefix ?? "").Length..] : name;
        int slash = relative.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : relative[..slash];
    }

    private static NightRequest Checked(NightRequest night) => night ?? throw new ArgumentNullException(nameof(night));
}
