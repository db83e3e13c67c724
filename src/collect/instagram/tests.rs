//! Unit tests of the instagram collector on hand-written fixtures in the API's real shape.
