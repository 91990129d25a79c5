using ImageReducer.Cli.Errors;

namespace ImageReducer.Cli.Remote;

/// <summary>Where the API is and the function key to send (as <c>x-functions-key</c>, never in a URL).</summary>
internal sealed class RemoteEndpoint
{
    /// <summary>Environment variable with the endpoint when <c>--endpoint</c> is not given.</summary>
    public const string EndpointVariable = "IMRED_ENDPOINT";

    /// <summary>Environment variable with the function key when <c>--function-key</c> is not given.</summary>
    public const string KeyVariable = "IMRED_FUNCTION_KEY";

    private RemoteEndpoint(Uri baseUri, string? functionKey)
    {
        BaseUri = baseUri;
        FunctionKey = functionKey;
    }

    /// <summary>The app's base URL, ending with '/'.</summary>
    public Uri BaseUri { get; }

    /// <summary>The function key, or null (a local <c>func start</c> checks none).</summary>
    public string? FunctionKey { get; }

    /// <summary>The base URL as shown in messages (no trailing slash).</summary>
    public string Display => BaseUri.AbsoluteUri.TrimEnd('/');

    /// <summary>The URL of an API route, e.g. <c>reductions/{id}</c>.</summary>
    public Uri Api(string route) => new(BaseUri, "api/" + route);

    /// <summary>The status URL of an instance.</summary>
    public string StatusUrl(string id) => Api("reductions/" + Uri.EscapeDataString(id)).AbsoluteUri;

    /// <summary>
    /// The endpoint from <paramref name="endpoint"/> or <see cref="EndpointVariable"/>, the key from <paramref name="key"/> or
    /// <see cref="KeyVariable"/>. A trailing <c>/api</c> is dropped (the routes add it).
    /// </summary>
    /// <exception cref="UsageException">No endpoint, or not an absolute http(s) URL without query or credentials.</exception>
    public static RemoteEndpoint Resolve(string? endpoint, string? key, Func<string, string?> environment)
    {
        string? text = Blank(endpoint) ?? Blank(environment(EndpointVariable));
        string origin = Blank(endpoint) is not null ? "--endpoint" : EndpointVariable;
        if (text is null)
            throw new UsageException($"no API endpoint: pass --endpoint URL or set {EndpointVariable} (e.g. https://APP.azurewebsites.net, or http://localhost:7071 for func start)");
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new UsageException($"{origin} '{text}': not an http:// or https:// URL (e.g. https://APP.azurewebsites.net)");
        // A key in the URL would be printed with every message that names the URL.
        if (uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            throw new UsageException($"{origin}: give the app's base URL without a query or credentials, and the key with --function-key or {KeyVariable}");
        string path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api", StringComparison.OrdinalIgnoreCase)) path = path[..^4];
        var baseUri = new UriBuilder(uri) { Path = path + "/" }.Uri;
        return new RemoteEndpoint(baseUri, Blank(key) ?? Blank(environment(KeyVariable)));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
