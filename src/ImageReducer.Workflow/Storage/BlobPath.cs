using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace ImageReducer.Workflow.Storage;

/// <summary>
/// The address of one blob: a container and a blob name inside it, validated so that the same
/// path means the same thing on Azure Blob Storage and in a local folder.
/// </summary>
/// <remarks>
/// Container names follow Azure's rules (3–63 lowercase letters, digits and single hyphens, starting
/// and ending with a letter or digit). Blob names are 1–1024 characters of '/'-separated segments;
/// empty, <c>.</c> and <c>..</c> segments, a leading '/', a trailing '.', backslashes and control
/// characters are refused, because a local folder would resolve them to another file (or outside
/// the root) and Azure would silently rewrite some of them.
/// Immutable; equality is by value; serialises to JSON as <c>{"container":…,"name":…}</c>.
/// </remarks>
public sealed record BlobPath
{
    /// <summary>Longest blob name Azure accepts, in characters.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>Scheme of the portable text form <c>az://container/name</c>.</summary>
    public const string Scheme = "az://";

    /// <summary>Creates a path after validating both parts.</summary>
    /// <exception cref="ArgumentException">The container or blob name breaks the rules above.</exception>
    [JsonConstructor]
    public BlobPath(string container, string name)
    {
        ValidateContainer(container);
        ValidateName(name);
        Container = container;
        Name = name;
    }

    /// <summary>The container (a top-level folder in a local store).</summary>
    public string Container { get; }

    /// <summary>The blob name inside the container, segments separated by '/'.</summary>
    public string Name { get; }

    /// <summary>The path of a blob whose name is this name followed by '/' and <paramref name="relativeName"/>.</summary>
    public BlobPath Append(string relativeName) => new(Container, Name + "/" + relativeName);

    /// <summary>Parses <c>container/name</c> or <c>az://container/name</c>.</summary>
    /// <exception cref="FormatException">The text has no container or name part, or is a URL of another scheme.</exception>
    /// <exception cref="ArgumentException">A part breaks the naming rules.</exception>
    public static BlobPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string rest = text;
        if (rest.StartsWith(Scheme, StringComparison.Ordinal))
        {
            rest = rest[Scheme.Length..];
        }
        else if (rest.Contains("://", StringComparison.Ordinal))
        {
            throw new FormatException(
                $"Blob path '{text}' is a URL; only 'container/name' and 'az://container/name' are accepted here " +
                "(use BlobPath.FromUri with the store's account URL for https blob URLs).");
        }

        int slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new FormatException($"Blob path '{text}' must have the form 'container/name'.");
        }

        return new BlobPath(rest[..slash], rest[(slash + 1)..]);
    }

    /// <summary>Parses like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out BlobPath? path)
    {
        path = null;
        if (text is null)
        {
            return false;
        }

        try
        {
            path = Parse(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The path of an absolute blob URL (as an Event Grid <c>BlobCreated</c> event carries it) that
    /// belongs to the storage account at <paramref name="accountUrl"/>.
    /// </summary>
    /// <remarks>
    /// Works for host-style accounts (<c>https://acct.blob.core.windows.net/</c>) and path-style ones
    /// (Azurite's <c>http://127.0.0.1:10000/devstoreaccount1/</c>). Percent-escapes are decoded.
    /// </remarks>
    /// <exception cref="ArgumentException">The URL is relative, names another account, or has no container/name.</exception>
    public static BlobPath FromUri(Uri blobUrl, Uri accountUrl)
    {
        ArgumentNullException.ThrowIfNull(blobUrl);
        ArgumentNullException.ThrowIfNull(accountUrl);
        if (!blobUrl.IsAbsoluteUri || !accountUrl.IsAbsoluteUri)
        {
            throw new ArgumentException($"Blob URL '{blobUrl}' and account URL '{accountUrl}' must both be absolute.", nameof(blobUrl));
        }

        string accountPath = accountUrl.AbsolutePath.TrimEnd('/') + "/";
        bool sameAccount =
            string.Equals(blobUrl.Scheme, accountUrl.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(blobUrl.Host, accountUrl.Host, StringComparison.OrdinalIgnoreCase) &&
            blobUrl.Port == accountUrl.Port &&
            blobUrl.AbsolutePath.StartsWith(accountPath, StringComparison.Ordinal);
        if (!sameAccount)
        {
            throw new ArgumentException(
                $"Blob URL '{blobUrl}' does not belong to the storage account '{accountUrl}'.", nameof(blobUrl));
        }

        string relative = blobUrl.AbsolutePath[accountPath.Length..];
        int slash = relative.IndexOf('/');
        if (slash <= 0 || slash == relative.Length - 1)
        {
            throw new ArgumentException($"Blob URL '{blobUrl}' has no 'container/name' part.", nameof(blobUrl));
        }

        return new BlobPath(
            Uri.UnescapeDataString(relative[..slash]),
            Uri.UnescapeDataString(relative[(slash + 1)..]));
    }

    /// <summary>Throws when <paramref name="container"/> is not a valid container name.</summary>
    /// <exception cref="ArgumentException">The name breaks Azure's container naming rules.</exception>
    public static void ValidateContainer(string container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.Length is < 3 or > 63)
        {
            throw new ArgumentException(
                $"Container name '{container}' has {container.Length} characters; it must have 3 to 63.", nameof(container));
        }

        for (int i = 0; i < container.Length; i++)
        {
            char c = container[i];
            bool letterOrDigit = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (letterOrDigit)
            {
                continue;
            }

            if (c != '-')
            {
                throw new ArgumentException(
                    $"Container name '{container}' has '{c}' at position {i}; only lowercase letters, digits and hyphens are allowed.",
                    nameof(container));
            }

            if (i == 0 || i == container.Length - 1 || container[i - 1] == '-')
            {
                throw new ArgumentException(
                    $"Container name '{container}' has a hyphen at position {i}; hyphens must sit between letters or digits.",
                    nameof(container));
            }
        }
    }

    /// <summary>Throws when <paramref name="name"/> is not a valid blob name.</summary>
    /// <exception cref="ArgumentException">The name breaks the rules in the type's remarks.</exception>
    public static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException(
                $"Blob name has {name.Length} characters; it must have 1 to {MaxNameLength}.", nameof(name));
        }

        ValidateCharacters(name, "Blob name", nameof(name));
        if (name[0] == '/')
        {
            throw new ArgumentException($"Blob name '{name}' starts with '/'; names are relative to their container.", nameof(name));
        }

        if (name[^1] == '.')
        {
            throw new ArgumentException($"Blob name '{name}' ends with '.', which Azure strips.", nameof(name));
        }

        foreach (string segment in name.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException(
                    $"Blob name '{name}' has an empty, '.' or '..' segment; such names are refused so no path can leave its container.",
                    nameof(name));
            }
        }
    }

    /// <summary>Throws when <paramref name="prefix"/> cannot start a blob name (it may be empty).</summary>
    /// <exception cref="ArgumentException">The prefix is too long, starts with '/', has a backslash or control character, or an empty, '.' or '..' segment.</exception>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > MaxNameLength)
        {
            throw new ArgumentException($"Prefix has {prefix.Length} characters; at most {MaxNameLength} are allowed.", nameof(prefix));
        }

        ValidateCharacters(prefix, "Prefix", nameof(prefix));
        if (prefix.StartsWith('/'))
        {
            throw new ArgumentException($"Prefix '{prefix}' starts with '/'; prefixes are relative to their container.", nameof(prefix));
        }

        // Complete segments (all but the last, which may be the start of a segment) obey the name rules.
        string[] segments = prefix.Split('/');
        for (int i = 0; i < segments.Length - 1; i++)
        {
            if (segments[i].Length == 0 || segments[i] == "." || segments[i] == "..")
            {
                throw new ArgumentException($"Prefix '{prefix}' has an empty, '.' or '..' segment.", nameof(prefix));
            }
        }
    }

    /// <summary>Returns <c>container/name</c>, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Container + "/" + Name;

    private static void ValidateCharacters(string text, string what, string parameter)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\')
            {
                throw new ArgumentException(
                    $"{what} '{text}' has a backslash at position {i}; use '/' between segments.", parameter);
            }

            if (char.IsControl(c))
            {
                throw new ArgumentException(
                    $"{what} has a control character (U+{(int)c:X4}) at position {i}.", parameter);
            }
        }
    }
}
