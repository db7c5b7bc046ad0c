/**
 * Token introspection (RFC 7662): a service client asks whether a token of its organization is active, and what
 * it carries.
 */
package dev.latchkey.core.introspect;
