using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Security;

/// <summary>
/// Decides which blob addresses that come from outside the app — HTTP bodies and Event Grid events —
/// it acts on. Every refusal is a <see cref="BlobAccessRefusedException"/> naming the rule.
/// </summary>
/// <remarks>
/// <para>Rules, on top of <see cref="BlobPath"/>'s naming rules (container 3–63 lowercase characters;
/// names 1–1024 characters without empty, <c>.</c> or <c>..</c> segments, leading '/', backslashes or
/// control characters):</para>
/// <list type="bullet">
/// <item>Inputs only from the input containers (<see cref="ImageReducerOptions.IncomingContainer"/> and
/// <see cref="ImageReducerOptions.InputContainers"/>), outputs only into the output containers
/// (<see cref="ImageReducerOptions.OutputContainer"/> and <see cref="ImageReducerOptions.OutputContainers"/>).</item>
/// <item>A name or prefix that percent-decodes into a refused one (<c>%2e%2e</c>, <c>%2F</c>, <c>%5C</c>,
/// <c>%00</c>) is refused: a later decoding would turn it into a traversal.</item>
/// <item>Absolute URLs (<c>https://…</c>) are accepted only for the data account itself: same scheme,
/// host and port, and for path-style endpoints (Azurite's <c>http://127.0.0.1:10000/devstoreaccount1/</c>)
/// the same account segment. Host names compare as written: <c>localhost</c> is not <c>127.0.0.1</c>.
/// URLs with user information, a query (a SAS) or a fragment are refused. Without a known account
/// URL (a local folder store) no URL is accepted. <c>az://</c> names a container of the data account.</item>
/// <item>Output names whose segments start with '.' (the starter's <c>.starts/</c> markers, the runs' <c>.work/</c>
/// intermediates) or end with <c>.work</c> (where intermediates used to be) are refused: a caller must not overwrite the
/// app's own blobs.</item>
/// <item>Text longer than <see cref="MaxAddressLength"/> is refused before it is parsed.</item>
/// </list>
/// </remarks>
public sealed class BlobAccessPolicy
{
    /// <summary>Longest address accepted: an account URL, a 63-character container and a 1024-character name fit.</summary>
    public const int MaxAddressLength = 2048;

    /// <summary>Creates the policy of <paramref name="options"/> for the data account at <paramref name="accountUrl"/>.</summary>
    /// <param name="options">The app's (validated) settings.</param>
    /// <param name="accountUrl">The data account's blob endpoint; null when the store has none (no URL is then accepted).</param>
    public BlobAccessPolicy(ImageReducerOptions options, Uri? accountUrl)
    {
        ArgumentNullException.ThrowIfNull(options);
        InputContainers = new SortedSet<string>(options.AllInputContainers(), StringComparer.Ordinal);
        OutputContainers = new SortedSet<string>(options.AllOutputContainers(), StringComparer.Ordinal);
        AccountUrl = accountUrl;
    }

    /// <summary>Containers inputs may come from.</summary>
    public IReadOnlySet<string> InputContainers { get; }

    /// <summary>Containers outputs may go to.</summary>
    public IReadOnlySet<string> OutputContainers { get; }

    /// <summary>The data account's blob endpoint, if known.</summary>
    public Uri? AccountUrl { get; }

    /// <summary>The input blob named by <paramref name="text"/> (<c>container/name</c>, <c>az://container/name</c> or a URL of the data account).</summary>
    /// <exception cref="BlobAccessRefusedException">A rule refuses it.</exception>
    public BlobPath Input(string text) => InContainers(Address(text, "input"), InputContainers, "input");

    /// <summary>The output blob named by <paramref name="text"/>.</summary>
    /// <exception cref="BlobAccessRefusedException">A rule refuses it.</exception>
    public BlobPath Output(string text)
    {
        BlobPath path = InContainers(Address(text, "output"), OutputContainers, "output");
        RefuseReservedSegments(path.Name, "output");
        return path;
    }

    /// <summary>The blob of an Event Grid <c>BlobCreated</c> event's URL; it must be an input of the data account.</summary>
    /// <exception cref="BlobAccessRefusedException">A rule refuses it.</exception>
    public BlobPath EventBlob(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.OriginalString.Length > MaxAddressLength)
            throw new BlobAccessRefusedException($"event URL has {url.OriginalString.Length} characters; at most {MaxAddressLength} are accepted");
        if (!url.IsAbsoluteUri) throw new BlobAccessRefusedException($"event URL '{Shorten(url.OriginalString)}' is not absolute");
        return InContainers(FromAccountUrl(url, "event"), InputContainers, "input");
    }

    /// <summary>An input container (for a night).</summary>
    /// <exception cref="BlobAccessRefusedException">Not a valid or not an allowed input container.</exception>
    public string InputContainer(string name) => Container(name, InputContainers, "input");

    /// <summary>An output container (for a night).</summary>
    /// <exception cref="BlobAccessRefusedException">Not a valid or not an allowed output container.</exception>
    public string OutputContainer(string name) => Container(name, OutputContainers, "output");

    /// <summary>A name prefix (may be empty); an output prefix must not start a reserved segment either.</summary>
    /// <exception cref="BlobAccessRefusedException">A rule refuses it.</exception>
    public string Prefix(string prefix, bool output)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > BlobPath.MaxNameLength)
            throw new BlobAccessRefusedException($"prefix has {prefix.Length} characters; at most {BlobPath.MaxNameLength} are allowed");
        Rule(() => BlobPath.ValidatePrefix(prefix));
        string decoded = Decoded(prefix);
        if (decoded != prefix)
        {
            try
            {
                BlobPath.ValidatePrefix(decoded);
            }
            catch (ArgumentException e)
            {
                throw new BlobAccessRefusedException($"prefix '{Shorten(prefix)}' is percent-encoded into '{Shorten(decoded)}', which is refused: {e.Message}");
            }
        }
        if (output) RefuseReservedSegments(prefix, "output prefix", lastIsPartial: true);
        return prefix;
    }

    private BlobPath Address(string text, string role)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxAddressLength)
            throw new BlobAccessRefusedException($"{role} has {text.Length} characters; at most {MaxAddressLength} are accepted");
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? url))
                throw new BlobAccessRefusedException($"{role} '{Shorten(text)}' is not a valid URL");
            return FromAccountUrl(url, role);
        }
        BlobPath path;
        try
        {
            path = BlobPath.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new BlobAccessRefusedException(e.Message);
        }
        RefuseEncodedTraversal(path, role);
        return path;
    }

    private BlobPath FromAccountUrl(Uri url, string role)
    {
        string shown = Shorten(SecretRedaction.Redact(url.OriginalString)!);
        if (url.Scheme is not ("http" or "https"))
            throw new BlobAccessRefusedException($"{role} URL '{shown}' has scheme '{url.Scheme}'; only http(s) URLs of the data account are accepted");
        if (AccountUrl is null)
            throw new BlobAccessRefusedException($"{role} URL '{shown}' refused: this app's data store has no account URL, so only 'container/name' is accepted");
        if (url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0)
            throw new BlobAccessRefusedException($"{role} URL '{shown}' carries user information, a query (SAS) or a fragment; give the plain blob URL");
        BlobPath path;
        try
        {
            path = BlobPath.FromUri(url, AccountUrl);
        }
        catch (ArgumentException e) when (e.Message.Contains("does not belong", StringComparison.Ordinal))
        {
            throw new BlobAccessRefusedException(
                $"{role} URL '{shown}' belongs to another storage account or host; only blobs of {AccountUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')} are served");
        }
        catch (ArgumentException e)
        {
            throw new BlobAccessRefusedException($"{role} URL '{shown}' refused: {e.Message}");
        }
        RefuseEncodedTraversal(path, role);
        return path;
    }

    private static BlobPath InContainers(BlobPath path, IReadOnlySet<string> allowed, string role)
    {
        if (!allowed.Contains(path.Container))
            throw new BlobAccessRefusedException(
                $"container '{path.Container}' is not an allowed {role} container (allowed: {string.Join(", ", allowed)})");
        return path;
    }

    private static string Container(string name, IReadOnlySet<string> allowed, string role)
    {
        ArgumentNullException.ThrowIfNull(name);
        Rule(() => BlobPath.ValidateContainer(name));
        if (!allowed.Contains(name))
            throw new BlobAccessRefusedException($"container '{name}' is not an allowed {role} container (allowed: {string.Join(", ", allowed)})");
        return name;
    }

    /// <summary>A name that is valid as written but decodes into a refused one (%2e%2e, %2f, %5c, %00 …).</summary>
    private static void RefuseEncodedTraversal(BlobPath path, string role)
    {
        string decoded = Decoded(path.Name);
        if (decoded == path.Name) return;
        try
        {
            BlobPath.ValidateName(decoded);
        }
        catch (ArgumentException e)
        {
            throw new BlobAccessRefusedException(
                $"{role} name '{Shorten(path.Name)}' is percent-encoded into '{Shorten(decoded)}', which is refused: {e.Message}");
        }
    }

    private static void RefuseReservedSegments(string name, string role, bool lastIsPartial = false)
    {
        string[] segments = name.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            string s = segments[i];
            if (s.StartsWith('.'))
                throw new BlobAccessRefusedException($"{role} '{Shorten(name)}' has a segment starting with '.', reserved for the app's own blobs (.starts/ markers)");
            bool complete = !lastIsPartial || i < segments.Length - 1;
            if (complete && s.EndsWith(".work", StringComparison.Ordinal))
                throw new BlobAccessRefusedException($"{role} '{Shorten(name)}' has a segment ending in '.work', reserved for a run's intermediates");
        }
    }

    private static string Decoded(string text) => text.Contains('%') ? Uri.UnescapeDataString(text) : text;

    private static void Rule(Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException e)
        {
            throw new BlobAccessRefusedException(e.Message);
        }
    }

    /// <summary>Long refused text is cut in messages (a 100 kB name must not become a 100 kB log line).</summary>
    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + $"… ({text.Length} characters)";
}
