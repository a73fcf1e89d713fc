// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>HAProxy's <c>verify</c> setting.</summary>
public enum TlsVerifyMode
{
    /// <summary>Not set on the line: HAProxy's default (required for servers, none for binds).</summary>
    Default,

    None,

    Optional,

    Required,
}
