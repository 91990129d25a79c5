using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>Maps through <paramref name="inner"/>, calling <paramref name="gate"/> first for one cell; counts the calls.</summary>
internal sealed class GatedMapper(IMapper inner, int gatedCell, Action<MapContext> gate) : IMapper
{
    private int calls, callsBeforeGateOpened = -1;
    public int Calls => Volatile.Read(ref calls);

    /// <summary>Cells mapped (by any worker) while the gated cell was held.</summary>
    public int CallsBeforeGateOpened => Volatile.Read(ref callsBeforeGateOpened);

    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        Interlocked.Increment(ref calls);
        if (context.CellIndex == gatedCell)
        {
            int before = Calls;
            gate(context);
            Volatile.Write(ref callsBeforeGateOpened, Calls - before);
        }
        return inner.Map(cell, expandedCell, context);
    }
}
