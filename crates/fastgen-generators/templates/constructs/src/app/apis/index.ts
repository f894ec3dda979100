// One line per API, added by fastgen when the API is generated.
export {};
