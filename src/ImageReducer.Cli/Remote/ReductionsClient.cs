using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ImageReducer.Cli.Errors;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Cli.Remote;

/// <summary>
/// The client of the ImageReducer HTTP API: starts reductions and nights, reads their status. Transient failures are retried
/// (<see cref="RetryPolicy"/>); every other answer becomes a specific exception whose message names the request and the
/// endpoint and says what to fix. The function key travels only in the <c>x-functions-key</c> header.
/// </summary>
internal sealed class ReductionsClient : IRunService
{
    /// <summary>The header the Functions host reads the key from.</summary>
    public const string KeyHeader = "x-functions-key";

    private const int MaxShownBodyChars = 120;

    private readonly HttpClient http;
    private readonly RemoteEndpoint endpoint;
    private readonly RetryPolicy retry;

    /// <summary>A client of <paramref name="endpoint"/>; <paramref name="handler"/> replaces the network (tests).</summary>
    public ReductionsClient(RemoteEndpoint endpoint, RetryPolicy retry, HttpMessageHandler? handler = null)
    {
        this.endpoint = endpoint;
        this.retry = retry;
        // Each attempt has its own timeout (RetryPolicy.RequestTimeout) so that a slow attempt is retried, not fatal.
        http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15) }) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("imred", Output.CliJson.ToolVersion));
    }

    /// <summary>The endpoint this client talks to.</summary>
    public RemoteEndpoint Endpoint => endpoint;

    /// <inheritdoc/>
    public string Display => endpoint.Display;

    /// <inheritdoc/>
    public string FollowCommand(string id) => $"imred status {id} --watch";

    /// <summary><c>POST /api/reductions</c>; returns the instance id.</summary>
    public Task<string> StartReductionAsync(ReductionBody body, CancellationToken cancellationToken) =>
        StartAsync("reductions", JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), cancellationToken);

    /// <summary><c>POST /api/nights</c>; returns the instance id.</summary>
    public Task<string> StartNightAsync(NightBody body, CancellationToken cancellationToken) =>
        StartAsync("nights", JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), cancellationToken);

    /// <summary><c>GET /api/reductions/{id}</c>: the status of a reduction or a night.</summary>
    /// <exception cref="UsageException">No instance with that id (404 with the API's problem body).</exception>
    public async Task<RemoteRun> GetAsync(string id, CancellationToken cancellationToken)
    {
        string url = endpoint.StatusUrl(id);
        Answer answer = await SendAsync(HttpMethod.Get, new Uri(url), null, cancellationToken).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound && ProblemOf(answer) is { } problem)
            throw new UsageException($"no reduction or night with id '{id}' at {endpoint.Display} ({problem.Detail ?? problem.Title})");
        StatusDocument status = Read<StatusDocument>(answer, "GET", url);
        try
        {
            return RemoteRun.From(status, url);
        }
        catch (FormatException e)
        {
            throw Malformed(answer, "GET", url, e.Message);
        }
    }

    private async Task<string> StartAsync(string route, byte[] body, CancellationToken cancellationToken)
    {
        Uri url = endpoint.Api(route);
        Answer answer = await SendAsync(HttpMethod.Post, url, body, cancellationToken).ConfigureAwait(false);
        RunAccepted started = Read<RunAccepted>(answer, "POST", url.AbsoluteUri);
        return string.IsNullOrWhiteSpace(started.Id) ? throw Malformed(answer, "POST", url.AbsoluteUri, "no instance 'id'") : started.Id;
    }

    /// <summary>Sends with retries; returns the first answer that is not transient (or throws once the retries are spent).</summary>
    private async Task<Answer> SendAsync(HttpMethod method, Uri url, byte[]? body, CancellationToken cancellationToken)
    {
        string what = $"{method} {url.AbsoluteUri}";
        for (int attempt = 0; ; attempt++)
        {
            string failure;
            TimeSpan? retryAfter = null;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(retry.RequestTimeout);
                using var request = new HttpRequestMessage(method, url);
                if (endpoint.FunctionKey is not null) request.Headers.TryAddWithoutValidation(KeyHeader, endpoint.FunctionKey);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (body is not null) request.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } };
                try
                {
                    using HttpResponseMessage response = await http.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
                    string text = await response.Content.ReadAsStringAsync(attemptTimeout.Token).ConfigureAwait(false);
                    var answer = new Answer(response.StatusCode, response.ReasonPhrase, response.Content.Headers.ContentType?.MediaType, text);
                    if (!IsTransient(response.StatusCode)) return Check(answer, what);
                    failure = $"{(int)response.StatusCode} {response.ReasonPhrase}{ProblemSuffix(answer)}";
                    retryAfter = RetryAfter(response);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = $"no answer within {Durations.Format(retry.RequestTimeout)}";
                }
                catch (HttpRequestException e) when (e.StatusCode is null)
                {
                    failure = ConnectionFailure(e);
                    if (attempt >= retry.Retries)
                        throw new RemoteServiceException(
                            $"cannot reach the ImageReducer API at {endpoint.Display}: {failure} ({Attempts(attempt)}); check --endpoint or {RemoteEndpoint.EndpointVariable}, and that the app (or 'func start') is running", e);
                }
            }
            if (attempt >= retry.Retries)
                throw new RemoteServiceException($"{what} failed: {failure} ({Attempts(attempt)}); the service may be starting or overloaded, try again later");
            await Task.Delay(retry.DelayBefore(attempt + 1, retryAfter), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Turns a final, non-transient answer into itself (2xx, or a 404 the caller interprets) or an exception.</summary>
    private Answer Check(Answer answer, string what)
    {
        int code = (int)answer.Status;
        if (code is >= 200 and < 300) return answer;
        switch (answer.Status)
        {
            case HttpStatusCode.BadRequest:
                throw RemoteProblemException.From(ProblemOf(answer), "the API", Shorten(answer.Body));
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                string reason = endpoint.FunctionKey is null
                    ? "no function key was given"
                    : "the function key was rejected";
                throw new UsageException(
                    $"{what} answered {code} {answer.Reason}: {reason}; pass the app's key with --function-key or {RemoteEndpoint.KeyVariable} " +
                    "(az functionapp keys list -g RG -n APP --query functionKeys.default -o tsv)");
            case HttpStatusCode.NotFound when what.StartsWith("GET", StringComparison.Ordinal) && ProblemOf(answer) is not null:
                return answer;
            case HttpStatusCode.NotFound:
                throw new RemoteServiceException($"{what} answered 404 Not Found: is {endpoint.Display} the ImageReducer app (with the API deployed)?");
            default:
                throw new RemoteServiceException($"{what} answered {code} {answer.Reason}{ProblemSuffix(answer)}");
        }
    }

    private T Read<T>(Answer answer, string method, string url) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(answer.Body, ApiJson.Options) ?? throw Malformed(answer, method, url, "the body is null");
        }
        catch (JsonException e)
        {
            throw Malformed(answer, method, url, $"not the API's JSON ({e.Message.Split(". ")[0]})");
        }
        catch (ArgumentException e) // a blob path in the document breaks the naming rules (BlobPath validates as it is read)
        {
            throw Malformed(answer, method, url, e.Message);
        }
    }

    private RemoteServiceException Malformed(Answer answer, string method, string url, string why) =>
        new($"{method} {url} answered {(int)answer.Status} with an unexpected body: {why}; body starts '{Shorten(answer.Body)}' — is the endpoint the ImageReducer app?");

    private static Problem? ProblemOf(Answer answer)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<Problem>(answer.Body, ApiJson.Options);
            return problem is { Title: not null } or { Detail: not null } ? problem : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ProblemSuffix(Answer answer) => ProblemOf(answer) is { } p ? $" ({p.Detail ?? p.Title})" : "";

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: TimeSpan delta } => delta,
        { Date: DateTimeOffset date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    // "Connection refused (host:port)", "Name or service not known (host:80)"; a TLS failure says more in its inner exception.
    private static string ConnectionFailure(HttpRequestException e) => e.InnerException switch
    {
        null or SocketException => e.Message,
        Exception inner => $"{e.Message} ({inner.Message})",
    };

    private static string Attempts(int attempt) => attempt == 0 ? "1 attempt" : $"{attempt + 1} attempts";

    /// <summary>The start of a body for a message, on one line, with the key masked should a proxy have echoed it.</summary>
    private string Shorten(string body)
    {
        string flat = ErrorClassifier.OneLine(body);
        if (endpoint.FunctionKey is { } key) flat = flat.Replace(key, "***", StringComparison.Ordinal);
        return flat.Length <= MaxShownBodyChars ? flat : flat[..MaxShownBodyChars] + "…";
    }

    public void Dispose() => http.Dispose();

    private sealed record Answer(HttpStatusCode Status, string? Reason, string? MediaType, string Body);
}
