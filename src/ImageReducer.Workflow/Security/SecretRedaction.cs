using System.Text.RegularExpressions;

namespace ImageReducer.Workflow.Security;

/// <summary>
/// Removes credentials from text that leaves the process in a document or a log: account keys and
/// SAS tokens of connection strings, the query of any URL (where a SAS signature travels) and a URL's user information.
/// </summary>
/// <remarks>
/// Error messages end up in the metadata, the orchestration output, the night report and the
/// quarantine reason; a storage exception's message may quote a connection string or a SAS URL.
/// The Azure SDK already redacts most query parameters in its own messages; this catches what
/// other code (and other libraries) put there.
/// </remarks>
public static partial class SecretRedaction
{
    /// <summary>What a removed credential is replaced by.</summary>
    public const string Placeholder = "[redacted]";

    /// <summary>The text with every credential replaced by <see cref="Placeholder"/>; null stays null.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        string redacted = UrlQuery().Replace(text, m => m.Groups["url"].Value + "?" + Placeholder);
        redacted = UrlUserInfo().Replace(redacted, "://" + Placeholder + "@");
        redacted = ConnectionStringSecret().Replace(redacted, Placeholder);
        return SasParameter().Replace(redacted, Placeholder);
    }

    [GeneratedRegex(@"(?<url>[a-zA-Z][a-zA-Z0-9+.-]*://[^\s?#""'<>]+)\?[^\s""'<>]*")]
    private static partial Regex UrlQuery();

    [GeneratedRegex(@"://[^/\s@""'<>]+@")]
    private static partial Regex UrlUserInfo();

    // AccountKey=…; SharedAccessSignature=…; SharedAccessKey=… up to the next ';' or whitespace (values may contain '=').
    [GeneratedRegex(@"(?i)\b(AccountKey|SharedAccessSignature|SharedAccessKey|SharedAccessKeyName)\s*=\s*[^;\s""']*")]
    private static partial Regex ConnectionStringSecret();

    // A SAS signature outside a URL we recognised (for example a query string quoted on its own).
    [GeneratedRegex(@"(?i)(?<![a-z0-9])sig=[^&;\s""']*")]
    private static partial Regex SasParameter();
}
