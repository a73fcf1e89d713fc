// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Admin;

/// <summary>HAProxy's CLI access levels (<c>stats socket ... level</c>).</summary>
public enum CliLevel
{
    User = 1,

    Operator = 2,

    Admin = 3,
}
