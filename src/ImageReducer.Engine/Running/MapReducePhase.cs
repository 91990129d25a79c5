namespace ImageReducer.Engine.Running;

/// <summary>Where a map-reduce run is.</summary>
public enum MapReducePhase
{
    /// <summary>Cells are being mapped and folded into the output (streamed together).</summary>
    Mapping,
    /// <summary>Every cell is folded; the whole-image pass (bad planes, division, statistics) runs.</summary>
    Finishing,
    /// <summary>The run is complete.</summary>
    Done,
}
