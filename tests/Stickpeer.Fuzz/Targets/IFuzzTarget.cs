// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Fuzz.Targets;

/// <summary>
/// One fuzz target. <see cref="Fuzz"/> must return normally for every input, or throw
/// <see cref="Stickpeer.Protocol.Errors.PeerProtocolException"/> (malformed input is
/// allowed to be rejected); any other exception is a finding.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>Runs the code under test on <paramref name="data"/>.</summary>
    static abstract void Fuzz(ReadOnlySpan<byte> data);
}
