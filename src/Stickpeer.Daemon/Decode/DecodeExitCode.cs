// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Decode;

/// <summary>Exit codes of <c>stickpeer decode</c>.</summary>
public static class DecodeExitCode
{
    /// <summary>Every byte decoded.</summary>
    public const int Success = 0;

    /// <summary>Bad usage or the input file could not be read.</summary>
    public const int Usage = 1;

    /// <summary>The input text is not valid hex (line and column are printed).</summary>
    public const int BadHex = 2;

    /// <summary>The bytes are not a valid peers session direction (offset and reason are printed).</summary>
    public const int Malformed = 3;

    /// <summary>The input ends inside a hello, status line or message (offset is printed).</summary>
    public const int Incomplete = 4;
}
