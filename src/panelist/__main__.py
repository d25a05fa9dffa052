from panelist.cli import main

main()
