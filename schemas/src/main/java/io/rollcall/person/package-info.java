/**
 * Who a face belongs to: the person types of the school database and the reference to one person by type and code.
 */
package io.rollcall.person;
