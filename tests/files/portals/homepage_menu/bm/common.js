function renderMenu(el, items) { /* draws the menu */ }
