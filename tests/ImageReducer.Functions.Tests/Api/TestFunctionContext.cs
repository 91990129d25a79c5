using Microsoft.Azure.Functions.Worker;

namespace ImageReducer.Functions.Tests.Api;

/// <summary>
/// The invocation context the adapter hands to <c>ReductionsApi</c>: its services (the Durable extension reads the worker's
/// serializer from them to write the check-status body) and the request's cancellation. The binding and trace members are
/// not used by the HTTP functions and throw if something starts to.
/// </summary>
internal sealed class TestFunctionContext(IServiceProvider services, string functionName, CancellationToken cancellationToken) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString("N");
    public override string FunctionId => functionName;
    public override TraceContext TraceContext => throw Unused(nameof(TraceContext));
    public override BindingContext BindingContext => throw Unused(nameof(BindingContext));
    public override RetryContext RetryContext => throw Unused(nameof(RetryContext));
    public override IServiceProvider InstanceServices { get; set; } = services;
    public override FunctionDefinition FunctionDefinition => throw Unused(nameof(FunctionDefinition));
    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
    public override IInvocationFeatures Features => throw Unused(nameof(Features));
    public override CancellationToken CancellationToken => cancellationToken;

    private static NotSupportedException Unused(string member) =>
        new($"the HTTP adapter of the tests provides no {member}; ReductionsApi started to use it, so the adapter must grow");
}
