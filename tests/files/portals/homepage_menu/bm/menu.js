var menus = [{"text":"\u9996\u9875","href":"\/bm\/index.html"},{"text":"\u673a\u6784\u804c\u80fd","href":"\/bm\/jgzn\/index.html"},
  {"text":"\u4fe1\u606f\u516c\u5f00","href":"\/bm\/xxgk\/index.html","sub":[{"text":"\u653f\u5e9c\u4fe1\u606f\u516c\u5f00\u5e74\u62a5","href":"\/bm\/xxgk\/ndbg\/index.html"}]}];
renderMenu("#menu", menus);
