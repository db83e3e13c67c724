//! Unit tests of the youtube collector on hand-written fixtures in the API's real shape.
