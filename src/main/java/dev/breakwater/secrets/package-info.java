/** Secret values and the redaction of everything that leaves the process. */
package dev.breakwater.secrets;
