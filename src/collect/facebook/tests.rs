//! Unit tests of the facebook collector on hand-written fixtures in the API's real shape.
