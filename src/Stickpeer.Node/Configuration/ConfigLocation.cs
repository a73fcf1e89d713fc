// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>A line of a configuration file; prints as <c>file:line</c>.</summary>
public readonly record struct ConfigLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
