using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ImageReducer.Functions.Tests.Infrastructure;

/// <summary>One captured log record: its category, level, event, text and every structured property (message and scopes).</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Properties)
{
    /// <summary>A property's value as text, or null when the record has none.</summary>
    public string? this[string property] => Properties.TryGetValue(property, out object? value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// A logger provider that keeps the app's records (categories starting with <c>ImageReducer</c>),
/// with the properties of the message template and of every enclosing scope merged — what
/// Application Insights would put in <c>customDimensions</c>.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> records = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    /// <summary>Every record captured so far, in order of writing.</summary>
    public IReadOnlyList<CapturedLog> Records => [.. records];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && category.StartsWith("ImageReducer", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner.scopes.ForEachScope((scope, props) => Add(props, scope), properties);
            Add(properties, state);
            owner.records.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), properties));
        }

        private static void Add(Dictionary<string, object?> properties, object? state)
        {
            if (state is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
            foreach (var (key, value) in pairs)
                if (key != "{OriginalFormat}") properties[key] = value;
        }
    }
}
