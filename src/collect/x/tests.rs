//! Unit tests of the x collector on hand-written fixtures in the API's real shape.
