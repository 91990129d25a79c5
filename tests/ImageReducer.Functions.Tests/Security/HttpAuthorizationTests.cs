using System.Reflection;
using ImageReducer.Functions.Triggers;
using Microsoft.Azure.Functions.Worker;

namespace ImageReducer.Functions.Tests.Security;

/// <summary>Every HTTP-triggered function of the app needs a function key (no anonymous endpoint).</summary>
public sealed class HttpAuthorizationTests
{
    [Fact]
    public void HttpFunctions_All_UseFunctionAuthorizationLevel()
    {
        var triggers = typeof(ReductionsApi).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters().Select(p => (Function: m.GetCustomAttribute<FunctionAttribute>()!.Name, Trigger: p.GetCustomAttribute<HttpTriggerAttribute>())))
            .Where(x => x.Trigger is not null)
            .ToList();

        // StartReduction, GetReduction, StartNight at least: an empty list would pass vacuously.
        Assert.True(triggers.Count >= 3, $"found {triggers.Count} HTTP functions");
        Assert.All(triggers, x => Assert.True(x.Trigger!.AuthLevel == AuthorizationLevel.Function, $"{x.Function} uses {x.Trigger.AuthLevel}"));
    }
}
